#!/usr/bin/env bash
# Soak: 10 minutes of mixed keep-alive load (wrk) with a reload every minute and a worker killed
# every 30 s; reports failures against what the kills explain, and the slope of the master's and
# the workers' memory. See bench/soak.py for the method. Bounded: SOAK_SECONDS plus a minute at
# most; herd is stopped by its PID at the end.
#   bench/soak.sh   (env: SOAK_SECONDS=600 SOAK_CONNECTIONS=16)
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
"$HERD_HOME/herd" check-config >/dev/null
exec /usr/bin/python3 "$HERD_HOME/bench/soak.py" --seconds "${SOAK_SECONDS:-600}" --connections "${SOAK_CONNECTIONS:-16}"
