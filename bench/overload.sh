#!/usr/bin/env bash
# Overload: one worker offered twice what it can serve, with and without --max-queue and
# --queue-timeout; latency of the requests answered 200 and of those refused 503. See
# bench/overload.py for the method. Bounded: about 40 s with the defaults; herd is stopped by
# its PID after each run.
#   bench/overload.sh   (env: OVERLOAD_SECONDS=10 OVERLOAD_SERVICE_MS=20 OVERLOAD_QUEUE=8 OVERLOAD_TIMEOUT=0.1)
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
"$HERD_HOME/herd" check-config >/dev/null
/usr/bin/python3 "$HERD_HOME/bench/overload.py" --seconds "${OVERLOAD_SECONDS:-10}" \
  --service-ms "${OVERLOAD_SERVICE_MS:-20}" --queue "${OVERLOAD_QUEUE:-8}" --timeout "${OVERLOAD_TIMEOUT:-0.1}"
