#!/usr/bin/env bash
# Scale-out across hosts, simulated on one machine (docs/deploy.md, "Across hosts"): three network
# namespaces as hosts, each running `herd serve -w 2` of the demo app with its state in Redis
# (in a namespace of its own), HAProxy with health checks in a fifth, and a bounded load from the
# balancer's namespace with one session cookie. Then: kill -9 one host's master, take another
# host's link down and up, restart the first host's herd, and roll a reload across all hosts.
# The hosts are joined by a bridge inside a namespace of their own; only addresses inside those
# namespaces (10.77.0.0/24) are used. Everything is torn down on exit, whatever happened.
#
# Needs root (network namespaces), iproute2, haproxy, redis-server, python3, and herd built.
# Usage: deploy/simulate/simulate.sh [--report FILE]
#   --report FILE  write the report (JSON) there too; it is always printed
# The load runs from before the first fault until 3 s after the rolling reload, 180 s at most.
# Exit status: 0 when the scenario ran (the report says how it went), 77 when this machine
# cannot run it (not root, a tool missing), 1 on an error while setting up.
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$HERD_HOME/deploy/simulate"

report_file=
while [ $# -gt 0 ]; do
  case "$1" in
    --report) report_file="$2"; shift 2 ;;
    *) echo "simulate.sh: unknown option '$1' (usage: simulate.sh [--report FILE])" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then
  echo "simulate.sh: needs root to make network namespaces" >&2
  exit 77
fi
for tool in ip haproxy redis-server python3; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "simulate.sh: $tool is not installed" >&2; exit 77; }
done
export PATH="$PATH:/usr/sbin"

prefix="hs$$"            # namespace and link names are unique to this run
work=$(mktemp -d)
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
namespaces=()
pids=()

log() { printf '%s simulate: %s\n' "$(date +%T.%3N)" "$*" >&2; }
event() { printf '%s\t%s\n' "$(date +%s.%N)" "$1" >> "$work/events.tsv"; log "$1"; }
in_ns() { local ns="$1"; shift; ip netns exec "$prefix-$ns" "$@"; }

teardown() {
  local status=$?
  set +e
  for pid_file in "$work"/h*.pid "$work/haproxy.pid"; do
    [ -f "$pid_file" ] && pids+=("$(cat "$pid_file")")
  done
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 1 100); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$work"
  exit "$status"
}
trap teardown EXIT
trap 'exit 1' INT TERM

# ---- the network: a bridge in a namespace of its own, a veth from it to each host -------------
add_ns() { ip netns add "$prefix-$1"; namespaces+=("$prefix-$1"); in_ns "$1" ip link set lo up; }
add_ns sw
in_ns sw ip link add br0 type bridge
in_ns sw ip link set br0 up
add_host() {  # NAME ADDRESS
  add_ns "$1"
  ip -n "$prefix-sw" link add "$1" type veth peer name eth0 netns "$prefix-$1"
  ip -n "$prefix-sw" link set "$1" master br0 up
  in_ns "$1" ip addr add "$2/24" dev eth0
  in_ns "$1" ip link set eth0 up
}
add_host lb 10.77.0.2
add_host redis 10.77.0.3
add_host h1 10.77.0.11
add_host h2 10.77.0.12
add_host h3 10.77.0.13

# ---- Redis, the hosts' herd, HAProxy -----------------------------------------------------------
in_ns redis redis-server --bind 10.77.0.3 --port 6379 --save '' --appendonly no --protected-mode no \
  --daemonize no > "$work/redis.log" 2>&1 &
pids+=($!)

start_herd() {  # HOST (h1..h3)
  local host="$1" address="10.77.0.1${1#h}"
  rm -f "$work/$host.pid"
  HERD_ADMIN_TOKEN="$token" in_ns "$host" setsid "$HERD_HOME/herd" serve -w 2 -k threads \
    -b "$address:8000" --state redis://10.77.0.3:6379 --admin-bind "$address:9100" --admin-open-health \
    --pid "$work/$host.pid" --control-socket "$work/$host.sock" --graceful-timeout 10 \
    >> "$work/$host.log" 2>&1 < /dev/null &
}
await_ready() {  # HOST
  for _ in $(seq 1 600); do
    if [ -f "$work/$1.pid" ] && grep -q "ready pid=$(cat "$work/$1.pid")" "$work/$1.log" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  log "$1 did not become ready; its log:"; tail -20 "$work/$1.log" >&2
  return 1
}
for host in h1 h2 h3; do start_herd "$host"; done
for host in h1 h2 h3; do await_ready "$host"; done
log "three hosts serve"

cat > "$work/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 5s
    # A GET cut by a dying host, refused, or unanswered is tried again on another host.
    retries 3
    option redispatch 1
    retry-on all-retryable-errors
frontend web
    bind 10.77.0.2:8080
    default_backend herd
backend herd
    balance roundrobin
    # herd's readiness: false while a host stops, so it is taken out before it goes.
    option httpchk GET /health/ready
    http-check expect status 200
    default-server check port 9100 inter 500ms fall 2 rise 2
    server h1 10.77.0.11:8000
    server h2 10.77.0.12:8000
    server h3 10.77.0.13:8000
CFG
in_ns lb haproxy -f "$work/haproxy.cfg" -p "$work/haproxy.pid" -D
for _ in $(seq 1 100); do
  in_ns lb python3 -c "import urllib.request; urllib.request.urlopen('http://10.77.0.2:8080/hello', timeout=2)" \
    2>/dev/null && break
  sleep 0.1
done

# ---- one session, then the load and the faults --------------------------------------------------
cookie=$(in_ns lb python3 -c "
import urllib.request
r = urllib.request.urlopen('http://10.77.0.2:8080/login?user=simulated', timeout=5)
print(r.headers['Set-Cookie'].split(';')[0])")
log "session: ${cookie%%=*}=..."
in_ns lb python3 "$here/load.py" 10.77.0.2 8080 "$cookie" simulated 180 8 "$work/load.json" "$work/stop-load" &
load_pid=$!
pids+=("$load_pid")
event "steady"
sleep 4
event "kill -9 of h1's master"
kill -KILL "$(cat "$work/h1.pid")"
sleep 5
event "h2's link down"
ip -n "$prefix-sw" link set h2 down
sleep 4
event "h2's link up"
ip -n "$prefix-sw" link set h2 up
sleep 3
event "h1 restarted"
start_herd h1
await_ready h1
sleep 3
event "rolling reload"
for host in h1 h2 h3; do
  "$HERD_HOME/herd" ctl --control-socket "$work/$host.sock" reload >&2
done
event "after the reload"
sleep 3
touch "$work/stop-load"
wait "$load_pid"

python3 "$here/report.py" "$work/load.json" "$work/events.tsv" "$work/report.json"
[ -z "$report_file" ] || cp "$work/report.json" "$report_file"
