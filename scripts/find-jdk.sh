# Sourced by ./herd and ./build: sets JAVA_HOME to a JDK >= 25, or exits 1 with one line.
# Looks at $JAVA_HOME first, then the usual install locations.

herd_java_major() {
  # Prints the major version of the JDK in $1, or nothing. The release file answers without
  # starting a JVM (which costs a few hundred ms on every launch); java itself is the fallback.
  local version=""
  if [ -f "$1/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$version" ]; then
    version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$version"
}

herd_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(herd_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! HERD_JDK=$(herd_find_jdk); then
  echo "herd: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm, /opt/java, ...); install one or set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME="$HERD_JDK"
