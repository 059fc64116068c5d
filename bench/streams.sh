#!/usr/bin/env bash
# Big downloads: herd's file serving against nginx, and herd's streamed responses against its
# own file serving, side by side in one run.
#  1. A 1 GiB file (real blocks of zeros, not a sparse file, and in the page cache) fetched
#     again and again over 1 and over 16 keep-alive connections: nginx (`sendfile on`) against
#     herd `--static /files=DIR` (sendfile too), -k async, first with 1 worker (nginx: 1 worker
#     process) and then with 2 (nginx: 2).
#  2. The demo app's streamed download, `/stream?bytes=1073741824` (the app writes 64 KiB
#     chunks from the heap, with a content-length), served by the same herd as the file: the
#     same number of bytes through the app's body writer instead of sendfile.
# For each: GiB/s over the measured window, the server's CPU seconds per GiB moved (its
# workers' utime + stime from /proc, the masters left out: they only wait), and the client's,
# since on 2 cores the client's reads can be what limits the rate; then the cores that server
# and client kept busy, and the cores busy with anything else (the machine's busy time from
# /proc/stat less theirs: other people's work on a shared machine, and interrupt time charged
# to no process). The client is bench/download.py (1 MiB reads; wrk's 8 KiB reads measure wrk
# here, see that file).
# Bounded: 12 runs of STREAMS_WARMUP + STREAMS_DURATION seconds each, and STREAMS_JIT_WARMUP
# seconds after each herd start (about 2.5 minutes in all with the defaults); every process it
# starts is stopped by its PID (its process group), on exit too. Run it alone on the machine.
#   bench/streams.sh   (env: STREAMS_DURATION=6 STREAMS_WARMUP=2 STREAMS_JIT_WARMUP=6 STREAMS_MIB=1024)
# Needs nginx (Debian's package; it runs as the current user, on loopback, from a temp dir).
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
export PATH="$PATH:/usr/sbin"  # nginx lives there, which a non-login PATH may lack
duration=${STREAMS_DURATION:-6}
warmup=${STREAMS_WARMUP:-2}
jit=${STREAMS_JIT_WARMUP:-6}
mib=${STREAMS_MIB:-1024}
size=$((mib * 1024 * 1024))
python=/usr/bin/python3  # the client needs nothing beyond the standard library

command -v nginx >/dev/null || { echo "bench: nginx is not installed (apt-get install nginx)" >&2; exit 1; }
[ -x "$python" ] || { echo "bench: $python is missing" >&2; exit 1; }

# herd builds itself when its sources changed; from here on the jar is used as it is.
"$HERD_HOME/herd" check-config >/dev/null
export HERD_NO_BUILD=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/herd-streams-XXXXXX")
. "$HERD_HOME/bench/lib/servers.sh"

# herd_start NAME OPTIONS...: a herd master serving the demo app and --static /files; sets pid,
# port, workers (its children).
herd_start() {
  local log="$tmp/$1.log"
  shift
  start "$log" "$HERD_HOME/herd" serve -b 127.0.0.1:0 --static "/files=$tmp/www/files" "$@"
  wait_for "$log" "ready pid=[0-9]+ listen="
  port=$(grep -oE 'listen=127\.0\.0\.1:[0-9]+' "$log" | head -n 1 | cut -d: -f2)
  workers=$(pgrep -P "$pid" | tr '\n' ' ')
}

# nginx_start PROCESSES: nginx in the foreground with its own configuration, pid file, logs and
# temp paths under $tmp, on loopback only, as the current user; sets pid, port, workers.
nginx_start() {
  local dir="$tmp/nginx-$1"
  mkdir -p "$dir"
  port=$(free_port)
  # As root, nginx would switch its workers to nobody, who cannot read $tmp (mode 0700).
  local user=""
  [ "$(id -u)" = 0 ] && user="user root;"
  # sendfile with tcp_nopush, nginx's usual setup for files; sendfile_max_chunk is its
  # default (2m since 1.21.4), so one connection cannot hold the worker for a whole GiB.
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes $1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
$user
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port;
    root $tmp/www;
  }
}
EOF
  start "$dir/nginx.out" nginx -p "$dir" -c "$dir/nginx.conf"
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null || { echo "bench: nginx exited:" >&2; cat "$dir/nginx.out" "$dir/error.log" >&2; exit 1; }
  for _ in $(seq 50); do [ "$(pgrep -P "$pid" | wc -l)" -ge "$1" ] && break; sleep 0.1; done
  workers=$(pgrep -P "$pid" | tr '\n' ' ')
}

# ---- the file ----
# Real blocks (dd from /dev/zero writes them; a sparse file would be read from no disk at all),
# read once more so that every run finds it in the page cache.
mkdir -p "$tmp/www/files"
dd if=/dev/zero of="$tmp/www/files/big.bin" bs=1M count="$mib" status=none
cat "$tmp/www/files/big.bin" >/dev/null

# ---- the runs ----
file="/files/big.bin"
stream="/stream?bytes=$size"
declare -A rate cpu
gib=$((1024 * 1024 * 1024))
# measure LABEL WORKERS PATH CONNECTIONS SERVER_PIDS...: one row of the table.
measure() {
  local label=$1 nworkers=$2 path=$3 conns=$4 out pids=()
  shift 4
  for p in "$@"; do pids+=(--pid "$p"); done
  out=$(timeout $((warmup + duration + 30)) "$python" "$HERD_HOME/bench/download.py" \
    "http://127.0.0.1:$port$path" --connections "$conns" --warmup "$warmup" --duration "$duration" \
    --expect "$size" "${pids[@]}" 2>"$tmp/client.err") || {
    echo "bench: the client failed on $label:" >&2; tail -n 5 "$tmp/client.err" >&2; exit 1; }
  # One line of name=value pairs (bytes seconds downloads errors client_cpu server_cpu machine_cpu).
  [[ $out =~ ^bytes=[0-9]+\ seconds= ]] || { echo "bench: the client said: $out" >&2; exit 1; }
  local $out
  rate["$label/$nworkers/$conns"]=$(awk -v b="$bytes" -v s="$seconds" -v g=$gib 'BEGIN {printf "%.3f", b / g / s}')
  cpu["$label/$nworkers/$conns"]=$(awk -v b="$bytes" -v c="$server_cpu" -v g=$gib 'BEGIN {printf "%.4f", (b > 0 ? c * g / b : 0)}')
  awk -v label="$label" -v w="$nworkers" -v c="$conns" -v b="$bytes" -v s="$seconds" -v d="$downloads" \
      -v e="$errors" -v cc="$client_cpu" -v sc="$server_cpu" -v mc="$machine_cpu" -v g=$gib 'BEGIN {
    gb = b / g
    other = mc - sc - cc
    printf "| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d%s |\n", label, w, c, gb / s,
      (gb > 0 ? sc / gb : 0), (gb > 0 ? cc / gb : 0), (sc + cc) / s, (other > 0 ? other : 0) / s, d,
      (e > 0 ? " (" e " errors)" : "")
  }'
}

# jit_warmup: the app's stream over 16 connections for STREAMS_JIT_WARMUP seconds, unmeasured,
# so that every worker has compiled its hot path with C2 before any row is measured (under new
# load a worker's compiler is busy for several seconds, each worker compiling for itself, and a
# row's own short warm-up would leave two workers compiling inside the measured window; seen:
# -w 2 streaming at less than half the rate of -w 1). sendfile needs no such warm-up.
jit_warmup() {
  timeout $((jit + 30)) "$python" "$HERD_HOME/bench/download.py" "http://127.0.0.1:$port$stream" \
    --connections 16 --warmup "$jit" --duration 0 --expect "$size" >/dev/null 2>"$tmp/client.err" || {
    echo "bench: the client failed warming herd up:" >&2; tail -n 5 "$tmp/client.err" >&2; exit 1; }
}

echo "streams: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run;" \
  "a $mib MiB file; ${warmup} s warm-up + ${duration} s measured per row (herd: ${jit} s of" \
  "/stream first, for the JIT)"
echo
echo "| server | workers | connections | GiB/s | server CPU s/GiB | client CPU s/GiB | cores: server + client | cores: others | downloads |"
echo "|---|---|---|---|---|---|---|---|---|"
for w in 1 2; do
  nginx_start "$w"
  for c in 1 16; do measure "nginx sendfile" "$w" "$file" "$c" $workers; done
  stop "$pid"
  herd_start "herd-w$w" -w "$w" -k async
  jit_warmup
  for c in 1 16; do measure "herd --static" "$w" "$file" "$c" $workers; done
  for c in 1 16; do measure "herd app stream" "$w" "$stream" "$c" $workers; done
  stop "$pid"
done

echo
# Two ratios each: of the rates, and of the server's CPU seconds per GiB (the steadier figure
# when the client or someone else's load caps the rate).
ratio() { # ARRAY A B
  local -n of=$1
  awk -v a="${of[$2]}" -v b="${of[$3]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'
}
for w in 1 2; do
  for c in 1 16; do
    f="herd --static/$w/$c" n="nginx sendfile/$w/$c" a="herd app stream/$w/$c"
    echo "$w worker(s), $c connection(s): herd file/nginx: rate $(ratio rate "$f" "$n"), CPU per GiB" \
      "$(ratio cpu "$f" "$n"); herd stream/herd file: rate $(ratio rate "$a" "$f"), CPU per GiB $(ratio cpu "$a" "$f")"
  done
done
