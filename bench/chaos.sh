#!/usr/bin/env bash
# Chaos, the long run: ChaosIT's kill loop for 60 s per execution model (a random worker killed
# with SIGKILL every 2 s under keep-alive load; every failure must have been in flight on a
# killed worker), plus its SIGSTOP and master-kill cases. Prints one line per case.
#   bench/chaos.sh   (env: CHAOS_SECONDS=60)
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
cd "$HERD_HOME"
mvn -B -ntp -q install -DskipTests >&2
mvn -B -ntp verify -pl herd-server -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ChaosIT \
  "-Dherd.chaos.seconds=${CHAOS_SECONDS:-60}" | grep -E "^(chaos|SIGSTOP|kill -9)|Tests run:|FAIL"
