#!/usr/bin/env bash
# Shared state: herd's local store against Redis (same machine) and an in-process map, from
# 2 workers x 8 threads and from async workers: ops/s, p50/p99 per operation, and the store's
# CPU per operation. See bench/state.py for the method. Bounded: about 3 minutes with the
# defaults; every process it starts is stopped by its PID.
#   bench/state.sh   (env: STATE_SECONDS=5 STATE_ROUNDS=2 STATE_WINDOW=8)
# Needs Debian's redis-server.
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
command -v redis-server >/dev/null || { echo "bench: needs redis-server (apt-get install redis-server)" >&2; exit 1; }
"$HERD_HOME/herd" check-config >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/herd-state-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
api_jar=$(ls "$HERD_HOME"/herd-api/target/herd-api-*.jar | grep -v -e sources -e javadoc | head -n 1)
"$JAVA_HOME/bin/javac" -d "$tmp/classes" -cp "$api_jar" "$HERD_HOME/bench/apps/StateBenchApp.java"
"$JAVA_HOME/bin/jar" cf "$tmp/state-bench.jar" -C "$tmp/classes" .
/usr/bin/python3 "$HERD_HOME/bench/state.py" --jar "$tmp/state-bench.jar" \
  --seconds "${STATE_SECONDS:-5}" --rounds "${STATE_ROUNDS:-2}" --window "${STATE_WINDOW:-8}"
