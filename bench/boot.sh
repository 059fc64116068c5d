#!/usr/bin/env bash
# A worker's spawn-to-ready time and its RSS/PSS, with and without the AOT cache herd makes
# (--aot-cache). Bounded: about a minute. Run it alone on the machine.
#   bench/boot.sh [--spawns N] [--workers N] [--port P] [--jvm-opts "..."] [--app "ARGS"] [--path /P]
# e.g. the Spring MVC WAR the app tests build: --app it/apps/spring/target/herd-it-spring.war --path /greeting
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
"$HERD_HOME/herd" check-config >/dev/null
exec python3 "$HERD_HOME/bench/boot.py" "$@"
