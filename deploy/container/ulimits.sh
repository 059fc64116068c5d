#!/usr/bin/env bash
# Prints --ulimit options for podman build/run that this machine can grant. Where the hard
# limits are below podman's defaults (nofile 1048576), runc fails to start any container with
# "error setting rlimits for ready process: operation not permitted"; on one such machine nproc
# above 32768 was refused as well, even below the hard limit. Usage: podman run $(ulimits.sh) ...
set -euo pipefail
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] && nofile=1048576
[ "$nproc" = unlimited ] && nproc=32768
[ "$nproc" -gt 32768 ] && nproc=32768
echo "--ulimit nofile=$nofile:$nofile --ulimit nproc=$nproc:$nproc"
