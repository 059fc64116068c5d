#!/usr/bin/env bash
# Copies each FILE into ROOTFS at its own path, with the C libraries and the loader `ldd` names
# for it, so that it runs in an image built FROM scratch. Files that are not dynamic programs
# (a jar, a text file) are copied alone. With --libs-only the files stay where they are (they
# are in the image already, as the jlink'd runtime is) and only what they link is copied.
# Usage: deploy/container/copy-with-libs.sh [--libs-only] ROOTFS FILE...
set -euo pipefail
libs_only=
if [ "${1:-}" = --libs-only ]; then libs_only=1; shift; fi
[ $# -ge 2 ] || { echo "usage: copy-with-libs.sh [--libs-only] ROOTFS FILE..." >&2; exit 2; }
rootfs="$1"; shift
mkdir -p "$rootfs"
for file in "$@"; do
  [ -n "$libs_only" ] || cp -L --parents "$file" "$rootfs/"
  # mawk, Debian's default awk, has no \s: spaces and tabs are spelled out.
  { ldd "$file" 2>/dev/null || true; } | awk '/=> \// { print $3 } /^[ \t]*\/.*ld-linux/ { print $1 }'
done | sort -u | while read -r lib; do
  cp -L --parents "$lib" "$rootfs/"
done
