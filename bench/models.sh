#!/usr/bin/env bash
# Quick look at every execution model under wrk: starts herd with each model in turn on a
# free loopback port, warms up, runs wrk on /hello and /io, and prints a markdown table.
# Bounded: each wrk run lasts DURATION seconds. Needs wrk (Debian package).
#   bench/models.sh [WORKERS] [DURATION] [CONNECTIONS]
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
workers=${1:-2}
duration=${2:-10}
connections=${3:-64}
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_wrk() { # url -> "req/s p99"
  wrk -t1 -c"$connections" -d"${duration}s" --latency "$1" 2>/dev/null | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {p99=$2}
    /Non-2xx|Socket errors/ {err=err $0}
    END {printf "%s %s%s", rps, p99, (err=="" ? "" : " ERRORS")}'
}

echo "| model | workers | /hello req/s | /hello p99 | /io req/s | /io p99 |"
echo "|---|---|---|---|---|---|"
for model in sync threads virtual async; do
  "$HERD_HOME/herd" serve -w "$workers" -k "$model" -b 127.0.0.1:0 --threads 8 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q "ready pid" "$log" && break; sleep 0.1; done
  port=$(grep -o 'listen=127.0.0.1:[0-9]*' "$log" | head -n 1 | cut -d: -f2)
  wrk -t1 -c"$connections" -d3s "http://127.0.0.1:$port/hello" >/dev/null 2>&1 || true
  read -r hello_rps hello_p99 _ <<<"$(run_wrk "http://127.0.0.1:$port/hello")"
  read -r io_rps io_p99 _ <<<"$(run_wrk "http://127.0.0.1:$port/io")"
  echo "| $model | $workers | $hello_rps | $hello_p99 | $io_rps | $io_p99 |"
  kill -TERM "$pid"; wait "$pid" || true
done
