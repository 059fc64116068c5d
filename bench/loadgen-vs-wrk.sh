#!/usr/bin/env bash
# Checks herd lab's load generator against wrk on the same herd target: starts herd (demo app)
# on a free loopback port, then for each path runs wrk and `herd lab load` in turn, ROUNDS
# times interleaved, with the same connections, duration and warm-up, and prints a markdown
# table of the median throughput of each and their difference. Bounded: every run lasts
# DURATION seconds. Needs wrk (Debian package).
#   bench/loadgen-vs-wrk.sh [WORKERS] [DURATION] [CONNECTIONS] [ROUNDS] [SERVE OPTIONS...]
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
workers=${1:-1}
duration=${2:-5}
connections=${3:-32}
rounds=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
serve_opts=("$@")
[ ${#serve_opts[@]} -gt 0 ] || serve_opts=(-k threads --threads 8)
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

log=$(mktemp)
pid=
cleanup() { [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }; rm -f "$log"; }
trap cleanup EXIT

"$HERD_HOME/herd" serve -w "$workers" -b 127.0.0.1:0 "${serve_opts[@]}" >"$log" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q "ready pid" "$log" && break; sleep 0.1; done
port=$(grep -o 'listen=127.0.0.1:[0-9]*' "$log" | head -n 1 | cut -d: -f2)
[ -n "$port" ] || { echo "bench: herd did not start:" >&2; cat "$log" >&2; exit 1; }

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "| path | wrk req/s | herd lab load req/s | difference | wrk p99 | herd lab load p99 |"
echo "|---|---|---|---|---|---|"
for path in /hello /cpu /io; do
  url="http://127.0.0.1:$port$path"
  wrk -t1 -c"$connections" -d2s "$url" >/dev/null 2>&1 || true
  wrk_rps=(); lab_rps=(); wrk_p99=(); lab_p99=()
  for _ in $(seq "$rounds"); do
    out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency "$url")
    wrk_rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    wrk_p99+=("$(awk '/^ +99%/ {print $2}' <<<"$out")")
    out=$("$HERD_HOME/herd" lab load -c "$connections" -d "$duration" --warmup 1 "$url")
    lab_rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    lab_p99+=("$(grep -o 'p99 [0-9.]* ms' <<<"$out" | awk '{print $2 "ms"}')")
  done
  w=$(printf '%s\n' "${wrk_rps[@]}" | median)
  l=$(printf '%s\n' "${lab_rps[@]}" | median)
  diff=$(awk -v w="$w" -v l="$l" 'BEGIN {printf "%+.1f %%", (l - w) / w * 100}')
  echo "| $path | $w | $l | $diff | ${wrk_p99[*]} | ${lab_p99[*]} |"
done
