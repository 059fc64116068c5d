#!/usr/bin/env bash
# JMH benchmarks of herd's hot path (bench/jmh): builds them with the jmh profile, then runs JMH
# with the given arguments (default: every benchmark). Run it alone on the machine.
#   bench/jmh.sh                       # all, about 2 minutes
#   bench/jmh.sh -p model=async -f 1   # any JMH options
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
(cd "$HERD_HOME" && mvn -B -ntp -q -Pjmh -pl bench/jmh -am -DskipTests package) >&2
jmh="$HERD_HOME/bench/jmh/target"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$jmh/herd-jmh-0.1.0-SNAPSHOT.jar:$jmh/lib/*" \
  org.openjdk.jmh.Main "$@"
