#!/usr/bin/env bash
# herd against Netty, Vert.x, Helidon, Gunicorn and Uvicorn (and, for servlets, Jetty and Tomcat) in one run: builds what it needs, then
# bench/peers.py starts each system in turn on loopback, drives it with wrk, and prints a markdown
# table with the ceilings and the targets' ratios (docs/benchmarks.md). Bounded: about
# rounds x systems x endpoints x (warm-up + duration) seconds. Run it alone on the machine.
#   bench/peers.sh [--rounds N] [--duration S] [--warmup S] [--only REGEX] [--out FILE] [--smoke] [--list]
# Needs wrk, and Debian's python3-gunicorn, python3-uvicorn, python3-uvloop, python3-httptools.
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
/usr/bin/python3 -c 'import gunicorn, uvicorn, uvloop, httptools' 2>/dev/null || {
  echo "bench: Debian's python3 lacks gunicorn/uvicorn" \
    "(apt-get install python3-gunicorn python3-uvicorn python3-uvloop python3-httptools)" >&2
  exit 1
}

# herd builds itself when its sources changed; the peers are a separate project built here.
"$HERD_HOME/herd" check-config >/dev/null
peers="$HERD_HOME/bench/peers"
jar="$peers/target/peers.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$peers/pom.xml" "$peers/src" -newer "$jar" -print -quit)" ]; then
  echo "bench: building the JVM peers..." >&2
  (cd "$peers" && mvn -B -ntp -q package) >&2
fi
# The Spring MVC WAR that herd and standalone Jetty both serve: one of herd's test apps.
war="$HERD_HOME/it/apps/spring/target/herd-it-spring.war"
if [ ! -f "$war" ] || [ -n "$(find "$HERD_HOME/it/apps/spring/pom.xml" "$HERD_HOME/it/apps/spring/src" -newer "$war" -print -quit)" ]; then
  echo "bench: building the Spring MVC WAR..." >&2
  (cd "$HERD_HOME" && mvn -B -ntp -q -DskipTests -pl it/apps/spring package) >&2
fi
exec /usr/bin/python3 "$HERD_HOME/bench/peers.py" "$@"
