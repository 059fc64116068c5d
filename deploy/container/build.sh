#!/usr/bin/env bash
# Builds herd's container image from local files only: no registry and no base image are needed.
# It jlinks a Java runtime with the modules herd needs, copies the C libraries that runtime links
# (and the loader) from this machine, adds Debian's static tini, herd's jars and the app, and runs
# `podman build` on deploy/container/Containerfile. Needs a JDK >= 25, podman, and tini-static
# (Debian package tini).
#
# Usage: deploy/container/build.sh [-t IMAGE] [--app-jar JAR]
#   -t IMAGE       image name (default herd:latest)
#   --app-jar JAR  the app's jar, at /opt/app/app.jar in the image (run with HERD_APP_JAR and
#                  HERD_APP, or --app-jar/--app); without it the image serves herd's demo app
# Extra podman build options go in PODMAN_BUILD_OPTS (split on spaces).
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"

image=herd:latest
app_jar=
while [ $# -gt 0 ]; do
  case "$1" in
    -t) image="$2"; shift 2 ;;
    --app-jar) app_jar="$2"; shift 2 ;;
    *) echo "build.sh: unknown option '$1' (usage: build.sh [-t IMAGE] [--app-jar JAR])" >&2; exit 2 ;;
  esac
done
command -v podman >/dev/null || { echo "build.sh: podman is not installed" >&2; exit 1; }
tini=$(command -v tini-static || true)
[ -n "$tini" ] || { echo "build.sh: tini-static is not installed (Debian package tini)" >&2; exit 1; }
[ -z "$app_jar" ] || [ -f "$app_jar" ] || { echo "build.sh: --app-jar: no such file: $app_jar" >&2; exit 2; }

# herd's jars, built when missing or stale (the launcher knows how).
"$HERD_HOME/herd" version >/dev/null

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/herd" "$context/app" "$context/rootfs/etc" "$context/writable/aot" "$context/writable/run"

cp "$HERD_HOME/herd-server/target/herd.jar" "$context/herd/"
cp -r "$HERD_HOME/herd-server/target/lib" "$context/herd/"
# The optional modules, each with its libraries: servlet apps (embedded Jetty) and --state redis.
for module in servlet redis; do
  jar="$HERD_HOME/herd-$module/target/herd-$module.jar"
  [ -f "$jar" ] || { echo "build.sh: $jar is missing (build herd first: mvn package)" >&2; exit 1; }
  mkdir -p "$context/herd/$module"
  cp "$jar" "$context/herd/$module/"
  cp -r "$HERD_HOME/herd-$module/target/lib" "$context/herd/$module/"
done
[ -z "$app_jar" ] || cp "$app_jar" "$context/app/app.jar"

# The runtime: the modules herd's classes and libraries use, by jdeps, and what apps commonly
# need beyond them (a servlet app's JNDI and XML, TLS's elliptic curves, the JDK's HttpServer).
modules=$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
  -cp "$context/herd/lib/*:$context/herd/servlet/lib/*:$context/herd/redis/lib/*" \
  "$context/herd/herd.jar" "$context/herd/servlet/herd-servlet.jar" "$context/herd/redis/herd-redis.jar")
modules="$modules,java.naming,java.xml,jdk.httpserver,jdk.crypto.ec,jdk.zipfs"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$context/jre"

# The C libraries every ELF file of the runtime links, and Netty's native transport's, with the
# dynamic loader, at the paths this machine has them (the runtime looks them up there).
netty_native=$(mktemp -d)
(cd "$netty_native" && "$JAVA_HOME/bin/jar" xf "$HERD_HOME"/herd-server/target/lib/netty-transport-native-epoll-*.jar META-INF/native)
find "$context/jre" "$netty_native" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
  xargs -0 "$HERD_HOME/deploy/container/copy-with-libs.sh" --libs-only "$context/rootfs"
rm -rf "$netty_native"

cp "$tini" "$context/tini"
printf 'root:x:0:0:root:/root:/sbin/nologin\nherd:x:10001:10001:herd:/run/herd:/sbin/nologin\n' > "$context/rootfs/etc/passwd"
printf 'root:x:0:\nherd:x:10001:\n' > "$context/rootfs/etc/group"
chmod 0700 "$context/writable/run"

read -r -a extra <<< "${PODMAN_BUILD_OPTS:-}"
podman build $("$HERD_HOME/deploy/container/ulimits.sh") "${extra[@]}" \
  -f "$HERD_HOME/deploy/container/Containerfile" -t "$image" "$context"
