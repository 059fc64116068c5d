#!/usr/bin/env bash
# How --balance spreads keep-alive connections over workers, measured with wrk -t1 -c64 (the
# peers' defect: one worker accepts the whole burst and keeps it). For each execution model:
# /cpu (1 ms of CPU) on 1 worker, then on 2 workers under shared, reuseport and least-busy,
# with each worker's share of the requests; then /hello under shared and least-busy; then the
# requests that fail when a worker is killed with -9 under load, in each mode. Also /hello with
# Connection: close, where least-busy pays one handoff per request.
# Bounded: every wrk run lasts DURATION seconds, after WARMUP seconds (default 15) of the same
# load thrown away: each worker's JIT compiles for 6-15 s under load (C2 used a tenth of a core
# through the first 10 s of /cpu), and two workers compile twice, so a short warm-up charges
# that to the 2-worker runs. Needs wrk.
#   bench/balance.sh [DURATION] [CONNECTIONS] [MODELS]      e.g. bench/balance.sh 10 64 "virtual async"
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-10}
connections=${2:-64}
models=${3:-sync threads virtual async}
warmup=${WARMUP:-15}
cores=$(nproc)
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
HERD_NO_BUILD=0 "$HERD_HOME/herd" version >/dev/null   # builds once, up front

work=$(mktemp -d)
herd_pid=
cleanup() {
  [ -z "$herd_pid" ] || kill -INT "$herd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_herd() { # workers model balance -> sets herd_pid, port
  "$HERD_HOME/herd" serve -w "$1" -k "$2" --balance "$3" --threads 8 -b 127.0.0.1:0 --pid "$work/herd.pid" \
    >"$work/herd.log" 2>&1 &
  herd_pid=$!
  for _ in $(seq 600); do grep -q "ready pid" "$work/herd.log" && break; sleep 0.1; done
  if ! grep -q "ready pid" "$work/herd.log"; then
    echo "bench: herd did not start within 60 s:" >&2
    cat "$work/herd.log" >&2
    kill -INT "$herd_pid" 2>/dev/null || true
    exit 1
  fi
  port=$(grep -o 'listen=127.0.0.1:[0-9]*' "$work/herd.log" | head -n 1 | cut -d: -f2)
}

stop_herd() {
  kill -TERM "$herd_pid" 2>/dev/null || true
  wait "$herd_pid" 2>/dev/null || true
  herd_pid=
}

worker_requests() { # -> "pid:requests ..." from the master's status
  "$HERD_HOME/herd" ctl --pid "$work/herd.pid" status --json 2>/dev/null | awk '
    /"workers" : \[/ {in_workers=1}
    in_workers && /"pid"/ {gsub(/[^0-9]/, "", $3); pid=$3}
    in_workers && /"requests"/ {gsub(/[^0-9]/, "", $3); printf "%s:%s ", pid, $3}'
}

run_wrk() { # path -> "req/s p99 errors"
  wrk -t1 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port$1" 2>/dev/null | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {p99=$2}
    /Socket errors/ {gsub(/,/, ""); err+=$4+$6+$8+$10}
    /Non-2xx/ {err+=$NF}
    END {printf "%s %s %d", rps, p99, err}'
}

ms() { # wrk latency (e.g. 41.23ms, 1.20s, 830.00us) -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) {sub(/us$/, "", v); print v / 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v); print v + 0}
    else if (v ~ /s$/) {sub(/s$/, "", v); print v * 1000} else print v }'
}

shares() { # "pid:before ..." "pid:after ..." -> "a% / b%"
  awk -v before="$1" -v after="$2" 'BEGIN {
    n = split(before, b, " "); for (i = 1; i <= n; i++) {split(b[i], kv, ":"); start[kv[1]] = kv[2]}
    n = split(after, a, " "); total = 0
    for (i = 1; i <= n; i++) {split(a[i], kv, ":"); d[i] = kv[2] - start[kv[1]]; total += d[i]}
    out = ""; for (i = 1; i <= n; i++) out = out (i > 1 ? " / " : "") sprintf("%.0f%%", total ? 100 * d[i] / total : 0)
    print out }'
}

measure() { # workers model balance path -> "req/s p99 errors share"
  start_herd "$1" "$2" "$3"
  wrk -t1 -c"$connections" -d"${warmup}s" "http://127.0.0.1:$port$4" >/dev/null 2>&1 || true
  sleep 1.2
  local before after result
  before=$(worker_requests)
  result=$(run_wrk "$4")
  sleep 1.2   # one more heartbeat, so the master's counts include the last requests
  after=$(worker_requests)
  stop_herd
  echo "$result $(shares "$before" "$after")"
}

echo "## /cpu (1 ms of CPU), wrk -t1 -c$connections -d${duration}s after ${warmup} s of warm-up, keep-alive, $cores cores"
echo
echo "fair p99 bound = connections / throughput (Little's law: every request waits the mean)"
echo
echo "| model | workers | balance | req/s | x 1 worker | p99 | p99 / fair | errors | share per worker |"
echo "|---|---|---|---|---|---|---|---|---|"
for model in $models; do
  read -r one_rps one_p99 one_err _ <<<"$(measure 1 "$model" shared /cpu)"
  fair=$(awk -v c="$connections" -v r="$one_rps" 'BEGIN {printf "%.1f", 1000 * c / r}')
  echo "| $model | 1 | - | $one_rps | 1.00 | $one_p99 | $(awk -v p="$(ms "$one_p99")" -v f="$fair" 'BEGIN {printf "%.2f", p / f}') | $one_err | 100% |"
  for balance in shared reuseport least-busy; do
    read -r rps p99 err share <<<"$(measure 2 "$model" "$balance" /cpu)"
    fair=$(awk -v c="$connections" -v r="$rps" 'BEGIN {printf "%.1f", 1000 * c / r}')
    echo "| $model | 2 | $balance | $rps | $(awk -v a="$rps" -v b="$one_rps" 'BEGIN {printf "%.2f", a / b}') | $p99 |" \
         "$(awk -v p="$(ms "$p99")" -v f="$fair" 'BEGIN {printf "%.2f", p / f}') | $err | $share |"
  done
done

echo
echo "## /hello, 2 workers (async), what least-busy costs"
echo
echo "| balance | req/s | p99 | x shared |"
echo "|---|---|---|---|"
read -r shared_rps shared_p99 _ <<<"$(measure 2 async shared /hello)"
echo "| shared | $shared_rps | $shared_p99 | 1.00 |"
for balance in reuseport least-busy; do
  read -r rps p99 _ <<<"$(measure 2 async "$balance" /hello)"
  echo "| $balance | $rps | $p99 | $(awk -v a="$rps" -v b="$shared_rps" 'BEGIN {printf "%.2f", a / b}') |"
done

echo
echo "## /hello with Connection: close, 2 workers (async): one accept and one handoff per request"
echo
echo "| balance | req/s | p99 | x shared |"
echo "|---|---|---|---|"
close_rps=
for balance in shared reuseport least-busy; do
  start_herd 2 async "$balance"
  wrk -t1 -c"$connections" -d"${warmup}s" -H "Connection: close" "http://127.0.0.1:$port/hello" >/dev/null 2>&1 || true
  read -r rps p99 _ <<<"$(wrk -t1 -c"$connections" -d"${duration}s" --latency -H "Connection: close" \
    "http://127.0.0.1:$port/hello" 2>/dev/null | awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} END {print r, p}')"
  stop_herd
  close_rps=${close_rps:-$rps}
  echo "| $balance | $rps | $p99 | $(awk -v a="$rps" -v b="$close_rps" 'BEGIN {printf "%.2f", a / b}') |"
done

echo
echo "## kill -9 of one of 2 workers (threads) during a ${duration} s wrk run on /io?ms=10"
echo
echo "| balance | requests | failed (socket errors + non-2xx) |"
echo "|---|---|---|"
for balance in shared reuseport least-busy; do
  start_herd 2 threads "$balance"
  victim=$(worker_requests | awk '{split($1, kv, ":"); print kv[1]}')
  wrk -t1 -c"$connections" -d"${duration}s" "http://127.0.0.1:$port/io?ms=10" >"$work/wrk.txt" 2>&1 &
  wrk_pid=$!
  sleep "$(awk -v d="$duration" 'BEGIN {print d / 3}')"
  kill -KILL "$victim"
  wait "$wrk_pid" || true
  stop_herd
  awk -v b="$balance" '
    /requests in/ {n=$1}
    /Socket errors/ {gsub(/,/, ""); err+=$4+$6+$8+$10}
    /Non-2xx/ {err+=$NF}
    END {printf "| %s | %s | %d |\n", b, n, err}' "$work/wrk.txt"
done
