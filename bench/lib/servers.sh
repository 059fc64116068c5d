# Sourced by the bench scripts: starting servers in process groups of their own, waiting for
# them, stopping them by PID, and a cleanup on exit that stops whatever is still running and
# removes "$tmp" (set it before sourcing this).

started=()
cleanup() {
  local p
  for p in "${started[@]}"; do
    stop "$p"
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# stop PID: TERM to its process group (the server's own graceful stop), KILL past 20 s.
stop() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # Forgotten once reaped, so that the exit trap never signals a PID the system gave out again.
  local left=() p
  for p in "${started[@]}"; do [ "$p" = "$pid" ] || left+=("$p"); done
  started=("${left[@]}")
}

# start LOG COMMAND...: in a process group of its own (so stop reaps its children); sets pid.
start() {
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  pid=$!
  started+=("$pid")
}

# wait_for LOG REGEX: until the log has a line matching it (90 s at most).
wait_for() {
  for _ in $(seq 900); do
    grep -sqE "$2" "$1" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bench: $1: the server exited:" >&2; tail -n 20 "$1" >&2; exit 1; }
    sleep 0.1
  done
  echo "bench: $1: not ready in 90 s" >&2
  tail -n 20 "$1" >&2
  exit 1
}

free_port() {
  for p in $(seq 18700 18999); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "bench: no free port in 18700-18999" >&2
  exit 1
}
