#!/usr/bin/env bash
# WebSockets: herd against raw Netty and Uvicorn, then many idle WebSockets on one herd worker.
#  1. Echo of small text messages over 64 connections, the same duration each, in interleaved
#     rounds: herd -k async and -k virtual (1 worker, 1 event loop; virtual with each
#     --virtual-scheduler), Netty's own WebSocket
#     handler (1 event loop, bench/peers), Uvicorn (1 worker, --ws websockets). The client is
#     `herd lab load --ws` (one event loop); messages/s, p50/p99, and the server's CPU seconds
#     per 1000 messages (its processes' utime + stime from /proc, herd's workers only).
#  2. IDLE (10,000) WebSockets held open on /ws/echo of one herd worker, -k async (a listener
#     each) and -k virtual (a parked virtual thread each): the worker's RSS before and after,
#     per connection, and its live heap after a full GC (jcmd), per connection.
#  3. Broadcast delivery latency: one member sends, every member gets it, timed at each (all
#     members live in the client process, so one clock): through bench/apps/RoomApp.java (built
#     here against herd-api) with IDLE members; again with 1,000 members that offer
#     permessage-deflate, as browsers do (and the worker's RSS per member once each had
#     messages); and through examples' ChatApp with ROOM (500) members: ChatApp tells every
#     member of every join, n(n+1)/2 messages to fill a room, 50 million for 10,000.
# Bounded (about 4 minutes with the defaults); every process it starts is stopped by its PID
# (its process group), on exit too. Run it alone on the machine.
#   bench/ws.sh   (env: WS_DURATION=4 WS_WARMUP=3 WS_ROUNDS=2 WS_CONNECTIONS=64 WS_SIZE=16
#                  WS_IDLE=10000 WS_ROOM=500)
# Needs Debian's python3-uvicorn, python3-websockets, python3-uvloop, python3-httptools.
set -euo pipefail
HERD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$HERD_HOME/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
duration=${WS_DURATION:-4}
warmup=${WS_WARMUP:-3}
rounds=${WS_ROUNDS:-2}
connections=${WS_CONNECTIONS:-64}
size=${WS_SIZE:-16}
idle=${WS_IDLE:-10000}
room=${WS_ROOM:-500}
broadcasts=10
python=/usr/bin/python3  # Debian's, the one python3-uvicorn installs into

$python -c 'import uvicorn, websockets, uvloop, httptools' 2>/dev/null || {
  echo "bench: Debian's python3 lacks uvicorn/websockets" \
    "(apt-get install python3-uvicorn python3-websockets python3-uvloop python3-httptools)" >&2
  exit 1
}

# Builds: herd (when its sources changed), the examples' jar, the JVM peers, and RoomApp.
"$HERD_HOME/herd" check-config >/dev/null
examples="$HERD_HOME/examples/target/herd-examples.jar"
if [ ! -f "$examples" ] || [ -n "$(find "$HERD_HOME/examples/src" -newer "$examples" -print -quit)" ]; then
  echo "bench: building the examples..." >&2
  (cd "$HERD_HOME" && mvn -B -ntp -q -DskipTests -pl examples -am package) >&2
fi
peers="$HERD_HOME/bench/peers"
if [ ! -f "$peers/target/peers.jar" ] || \
   [ -n "$(find "$peers/pom.xml" "$peers/src" -newer "$peers/target/peers.jar" -print -quit)" ]; then
  echo "bench: building the JVM peers..." >&2
  (cd "$peers" && mvn -B -ntp -q package) >&2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/herd-ws-XXXXXX")
api_jar=$(ls "$HERD_HOME"/herd-api/target/herd-api-*.jar | grep -v -e sources -e javadoc | head -n 1)
"$JAVA_HOME/bin/javac" -d "$tmp/room" -cp "$api_jar" "$HERD_HOME/bench/apps/RoomApp.java"
"$JAVA_HOME/bin/jar" cf "$tmp/room.jar" -C "$tmp/room" .

# 10,000 sockets in the client and as many in the worker: raise the soft limit of open files
# (inherited by everything started here) as far as the hard limit lets it.
want=65536
hard=$(ulimit -Hn)
[ "$hard" != unlimited ] && [ "$hard" -lt "$want" ] && want=$hard
ulimit -n "$want"
if [ "$want" -lt $((idle + 1000)) ]; then
  echo "bench: open files limited to $want (hard limit): $idle WebSockets per process will not all open" >&2
fi

export HERD_NO_BUILD=1
. "$HERD_HOME/bench/lib/servers.sh"

# herd_start NAME OPTIONS...: a herd master; sets pid, port, workers (its children).
herd_start() {
  local log="$tmp/$1.log"
  shift
  start "$log" "$HERD_HOME/herd" serve -b 127.0.0.1:0 "$@"
  wait_for "$log" "ready pid=[0-9]+ listen="
  port=$(grep -oE 'listen=127\.0\.0\.1:[0-9]+' "$log" | head -n 1 | cut -d: -f2)
  workers=$(pgrep -P "$pid" | tr '\n' ' ')
}

lab() { "$HERD_HOME/herd" lab load "$@"; }

ticks_per_s=$(getconf CLK_TCK)
cpu_ticks() { # PIDS: utime + stime (fields 14, 15 of /proc/PID/stat; the name has no spaces here)
  local total=0 p
  for p in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
live_heap_kib() { # after a full GC (the serial collector's generations)
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | awk '/total [0-9]+K, used [0-9]+K/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { sub("K", "", $(i + 1)); sum += $(i + 1) } } END {print sum + 0}'
}

# ---- 1. echo ----
# All four run at once (idle but for the one driven), warmed up, then measured in ROUNDS rounds
# whose order rotates, so that drift of a shared machine spreads over all of them; each
# figure is the median over the rounds, each ratio the median of the ratios within a round.
names=("herd -k async, 1 worker" "herd -k virtual, 1 worker" "Netty WebSocket, 1 event loop" "Uvicorn, 1 worker"
  "herd -k virtual, loop carriers")
systems=${#names[@]}
declare -a ports server_pids leaders
declare -A out_rate out_p50 out_p99 out_errors out_msgs out_ticks
herd_start herd-async -w 1 -k async
ports[0]=$port server_pids[0]=$workers leaders[0]=$pid
herd_start herd-virtual -w 1 -k virtual
ports[1]=$port server_pids[1]=$workers leaders[1]=$pid
port=$(free_port)
start "$tmp/netty.log" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -XX:+UseSerialGC -Xms16m -XX:+ExitOnOutOfMemoryError -Xss512k -XX:TrimNativeHeapInterval=2000 \
  -Dio.netty.jfr.enabled=false -cp "$peers/target/peers.jar:$peers/target/lib/*" \
  dev.herd.bench.peers.NettyWebSocketPeer "$port" 1
wait_for "$tmp/netty.log" " ready port="
ports[2]=$port server_pids[2]=$pid leaders[2]=$pid
port=$(free_port)
start "$tmp/uvicorn.log" "$python" -m uvicorn --app-dir "$HERD_HOME/bench/apps" --host 127.0.0.1 --port "$port" \
  --workers 1 --loop uvloop --http httptools --ws websockets --no-access-log --log-level warning asgi_ws_app:app
for _ in $(seq 900); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
ports[3]=$port server_pids[3]="$pid $(pgrep -P "$pid" | tr '\n' ' ' || true)" leaders[3]=$pid
# The virtual model with --virtual-scheduler loop: the event loop carries the handlers' virtual
# threads, so a message is not handed between threads.
herd_start herd-virtual-loop -w 1 -k virtual --virtual-scheduler loop
ports[4]=$port server_pids[4]=$workers leaders[4]=$pid
echo "== 1. WebSocket echo: $connections connections, $size-byte text messages; client: herd lab load --ws," \
  "1 event loop; ${warmup} s warm-up each, then $rounds rounds of 2 s (not measured) + ${duration} s each," \
  "order rotating"
for ((i = 0; i < systems; i++)); do
  lab -c "$connections" -d "$warmup" --size "$size" "ws://127.0.0.1:${ports[$i]}/ws/echo" >/dev/null || true
done
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < systems; k++)); do
    i=$(((k + r) % systems))
    # shellcheck disable=SC2086 # the pids are words
    c0=$(cpu_ticks ${server_pids[$i]})
    # Each run is a new client JVM: its first 2 s (JIT, handshakes) are not measured.
    out=$(lab -c "$connections" --warmup 2 -d "$duration" --size "$size" "ws://127.0.0.1:${ports[$i]}/ws/echo") || true
    c1=$(cpu_ticks ${server_pids[$i]})
    out_msgs[$i,$r]=$(awk '/ messages in / {print $1}' <<<"$out")
    out_rate[$i,$r]=$(awk '/^Messages\/sec:/ {print $2}' <<<"$out")
    out_p50[$i,$r]=$(grep -oE 'p50 [0-9.]+' <<<"$out" | cut -d' ' -f2 || true)
    out_p99[$i,$r]=$(grep -oE 'p99 [0-9.]+' <<<"$out" | cut -d' ' -f2 || true)
    out_errors[$i,$r]=$(grep -oE '[0-9]+ errors' <<<"$out" | cut -d' ' -f1 || true)
    for a in out_msgs out_rate out_p50 out_p99 out_errors; do  # no figures: the client failed
      declare -n cell=$a
      cell[$i,$r]=${cell[$i,$r]:-0}
    done
    out_ticks[$i,$r]=$((c1 - c0))
    printf 'round %d  %-30s %8.0f msgs/s  p50 %7.3f ms  p99 %7.3f ms  %s errors\n' $((r + 1)) "${names[$i]}" \
      "${out_rate[$i,$r]}" "${out_p50[$i,$r]}" "${out_p99[$i,$r]}" "${out_errors[$i,$r]}"
  done
done
for ((i = 0; i < systems; i++)); do
  stop "${leaders[$i]}"
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
of() { # ARRAY SYSTEM: its values over the rounds
  local -n values=$1
  local r
  for ((r = 0; r < rounds; r++)); do echo -n "${values[$2,$r]} "; done
}
echo
echo "| system | msgs/s | p50 | p99 | errors | server CPU s per 1000 msgs |"
echo "|---|---:|---:|---:|---:|---:|"
for ((i = 0; i < systems; i++)); do
  errors=0 msgs=0 ticks=0
  for ((r = 0; r < rounds; r++)); do
    errors=$((errors + out_errors[$i,$r])) msgs=$((msgs + out_msgs[$i,$r])) ticks=$((ticks + out_ticks[$i,$r]))
  done
  printf '| %s | %.0f | %.2f ms | %.2f ms | %d | %s |\n' "${names[$i]}" "$(of out_rate "$i" | median)" \
    "$(of out_p50 "$i" | median)" "$(of out_p99 "$i" | median)" "$errors" \
    "$(awk -v t="$ticks" -v hz="$ticks_per_s" -v n="$msgs" 'BEGIN {printf "%.4f", (n > 0 ? t / hz / n * 1000 : 0)}')"
done
ratio() { # NUMERATOR DENOMINATOR: "median (round 1, round 2, ...)"
  local r values=""
  for ((r = 0; r < rounds; r++)); do
    values+="$(awk -v a="${out_rate[$1,$r]}" -v b="${out_rate[$2,$r]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') "
  done
  echo "$(median <<<"$values" | awk '{printf "%.2f", $1}') (${values% })"
}
echo
echo "ratios of msgs/s, median of the rounds' (each round's): herd-async/netty $(ratio 0 2);" \
  "herd-virtual/netty $(ratio 1 2); herd-virtual-loop/netty $(ratio 4 2); herd-async/uvicorn $(ratio 0 3)"

# ---- 2. idle WebSockets ----
echo
echo "== 2. $idle idle WebSockets on /ws/echo of one herd worker (open files: $(ulimit -n))"
idle_run() { # MODEL
  local model=$1 log="$tmp/idle-$1.out" client rss0 rss1 heap0 heap1 opened
  herd_start "idle-$model" -w 1 -k "$model"
  local worker=${workers%% *}
  # Warm-up: classes loaded and the handshake compiled, so the figures below are the connections'.
  lab --hold -c 500 -t 2 -d 0.5 "ws://127.0.0.1:$port/ws/echo" >/dev/null || true
  sleep 1
  rss0=$(rss_kib "$worker")
  heap0=$(live_heap_kib "$worker")
  lab --hold -c "$idle" -t 2 -d 5 --open-timeout 90 "ws://127.0.0.1:$port/ws/echo" >"$log" &
  client=$!
  for _ in $(seq 1000); do grep -q "WebSockets open" "$log" && break; kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
  sleep 2
  rss1=$(rss_kib "$worker")
  heap1=$(live_heap_kib "$worker")
  wait "$client" || true
  opened=$(awk '/WebSockets open/ {print $1}' "$log")
  opened=${opened:-0}
  sed 's/^/  /' "$log"
  awk -v m="$model" -v n="$opened" -v r0="$rss0" -v r1="$rss1" -v h0="$heap0" -v h1="$heap1" 'BEGIN {
    printf "  -k %s: worker RSS %.1f -> %.1f MiB: %.2f KiB per connection; live heap after full GC %.1f -> %.1f MiB:" \
      " %.2f KiB per connection\n", m, r0 / 1024, r1 / 1024, (n > 0 ? (r1 - r0) / n : 0), h0 / 1024, h1 / 1024,
      (n > 0 ? (h1 - h0) / n : 0) }'
  stop "$pid"
}
idle_run async
idle_run virtual

# ---- 3. broadcasts ----
echo
echo "== 3. Broadcasts (herd -k async, 1 worker): one member sends, all members get it; $broadcasts timed," \
  "one at a time, after 2 not timed"
room_run() { # MEMBERS [--deflate]
  local members=$1 log="$tmp/room-$1${2:-}.out" client rss0 rss1
  herd_start "room-$members" -w 1 -k async --app-jar "$tmp/room.jar" dev.herd.bench.apps.RoomApp
  local worker=${workers%% *}
  lab --hold -c 300 -t 2 -d 0.5 --broadcasts 1 ${2:-} "ws://127.0.0.1:$port/room" >/dev/null || true
  sleep 1
  rss0=$(rss_kib "$worker")
  lab --hold -c "$members" -t 2 -d 2 --warmup-broadcasts 2 --broadcasts "$broadcasts" --open-timeout 90 ${2:-} \
    "ws://127.0.0.1:$port/room" >"$log" &
  client=$!
  for _ in $(seq 1200); do grep -q "broadcast's last" "$log" && break; kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
  sleep 1
  rss1=$(rss_kib "$worker")
  wait "$client" || true
  sed 's/^/  /' "$log"
  awk -v n="$members" -v r0="$rss0" -v r1="$rss1" 'BEGIN {
    printf "  worker RSS %.1f -> %.1f MiB once every member had messages: %.2f KiB per member\n", r0 / 1024,
      r1 / 1024, (r1 - r0) / n }'
  stop "$pid"
}
echo "RoomApp (ChatApp without join/leave announcements), $idle members:"
room_run "$idle"
deflated=$((idle < 1000 ? idle : 1000))
echo "RoomApp, $deflated members offering permessage-deflate (as browsers do; herd's default --ws-compression" \
  "deflate agrees):"
room_run "$deflated" --deflate
herd_start chat -w 1 -k async --app-jar "$examples" dev.herd.examples.ChatApp
echo "ChatApp, $room members (opening includes the $((room * (room + 1) / 2)) join announcements):"
lab --hold -c "$room" -t 2 -d 1 --warmup-broadcasts 2 --broadcasts "$broadcasts" --open-timeout 120 \
  "ws://127.0.0.1:$port/chat?name=m" | sed 's/^/  /' || true
stop "$pid"
echo
echo "bench: done in $SECONDS s"
