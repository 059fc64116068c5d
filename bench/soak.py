"""Soak: mixed keep-alive load for a long while, a graceful reload every minute and a worker
killed with SIGKILL every 30 s; the master's and the workers' memory sampled all along.
See bench/soak.sh, which runs this.

herd runs the demo app (-w 2 -k threads). wrk drives CONNECTIONS keep-alive connections with a
mix of /hello, /whoami, /io?ms=5 and /cpu?ms=1. Every 60 s the master gets HUP (a reload: new
workers, then the old ones drain); every 30 s one worker, chosen at random, gets KILL. Every 5 s
the RSS of the master and of each live worker is read from /proc. The report: requests served,
failures (wrk's errors and non-2xx answers) beside the most that the kills can explain (each
kill breaks at most the connections the killed worker holds, each with one request in flight;
reloads explain none),
and the slope of the master's RSS and of the workers' mean RSS over the run after the first
minute (least squares, KiB per minute), with their first and last values.

RSS alone cannot tell a leak from a heap still growing to its working size, so every 60 s the
master's live heap is measured too: a full GC (jcmd GC.run), then the used and the committed
bytes of the heap (jcmd GC.heap_info), and the JIT's code cache (jcmd Compiler.codecache), each
with its slope. The master's threads and open descriptors are read with its RSS; the report
gives their medians over the second minute and over the last minute (a supervisor that leaks
one per reload or per dead worker shows there first; single samples catch a reload or a
replacement under way).
"""
import argparse
import os
import random
import re
import signal
import socket
import subprocess
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
HERD_HOME = os.path.dirname(BENCH)

MIX = """
local paths = {"/hello", "/whoami", "/io?ms=5", "/cpu?ms=1"}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def jvm_memory_kib(pid):
    """(live heap after a full GC, committed heap, code cache used), in KiB; None if jcmd failed."""
    jcmd = os.path.join(os.environ["JAVA_HOME"], "bin", "jcmd")
    try:
        subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, timeout=30, check=True)
        info = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=30,
                              check=True).stdout
        code = subprocess.run([jcmd, str(pid), "Compiler.codecache"], capture_output=True, text=True, timeout=30,
                              check=True).stdout
    except (subprocess.SubprocessError, OSError):
        return None
    heap = re.findall(r"total (\d+)K, used (\d+)K", info)
    cache = re.findall(r"used=(\d+)Kb", code)
    if not heap or not cache:
        return None
    return sum(int(u) for _, u in heap), sum(int(t) for t, _ in heap), sum(int(c) for c in cache)


def threads_and_fds(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            threads = next(int(line.split()[1]) for line in f if line.startswith("Threads:"))
        return threads, len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, StopIteration):
        return None


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def slope(samples):
    """Least-squares slope of (seconds, KiB) samples, in KiB per minute."""
    n = len(samples)
    if n < 2:
        return 0.0
    mx = sum(t for t, _ in samples) / n
    my = sum(v for _, v in samples) / n
    var = sum((t - mx) ** 2 for t, _ in samples)
    if var == 0:
        return 0.0
    return sum((t - mx) * (v - my) for t, v in samples) / var * 60


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--connections", type=int, default=16)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="herd-soak-")
    port = free_port()
    log = open(os.path.join(tmp, "herd.log"), "w+")
    herd = subprocess.Popen([os.path.join(HERD_HOME, "herd"), "serve", "-w", "2", "-k", "threads",
                             "-b", f"127.0.0.1:{port}", "--log-level", "info"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "HERD_NO_BUILD": "1"})
    wrk = None
    try:
        deadline = time.time() + 60
        while len(children(herd.pid)) < 2 or "ready" not in open(log.name).read():
            if time.time() > deadline:
                raise SystemExit("herd did not start; see " + log.name)
            time.sleep(0.2)
        time.sleep(2)
        script = os.path.join(tmp, "mix.lua")
        with open(script, "w") as f:
            f.write(MIX)
        wrk = subprocess.Popen(["wrk", "-t", "1", "-c", str(a.connections), "-d", f"{a.seconds}s", "--timeout", "10s",
                                "-s", script, f"http://127.0.0.1:{port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        start = time.monotonic()
        master_samples, worker_samples, heap_samples, counts = [], [], [], []
        kills = reloads = 0
        next_kill, next_reload, next_sample, next_heap = 30, 60, 0, 30
        rng = random.Random(7)
        while wrk.poll() is None and time.monotonic() - start < a.seconds + 30:
            now = time.monotonic() - start
            if now >= next_sample:
                m = rss_kib(herd.pid)
                ws = [r for r in (rss_kib(p) for p in children(herd.pid)) if r]
                if m:
                    master_samples.append((now, m))
                if ws:
                    worker_samples.append((now, sum(ws) / len(ws)))
                c = threads_and_fds(herd.pid)
                if c:
                    counts.append((now, c))
                next_sample += 5
            if now >= next_heap:
                jvm = jvm_memory_kib(herd.pid)
                if jvm:
                    heap_samples.append((now, jvm))
                next_heap += 60
            if now >= next_kill and now < a.seconds - 5:
                workers = children(herd.pid)
                if workers:
                    os.kill(rng.choice(workers), signal.SIGKILL)
                    kills += 1
                next_kill += 30
            if now >= next_reload and now < a.seconds - 5:
                os.kill(herd.pid, signal.SIGHUP)
                reloads += 1
                next_reload += 60
            time.sleep(0.2)
        out = wrk.communicate(timeout=60)[0]
    finally:
        if wrk and wrk.poll() is None:
            wrk.kill()
        herd.terminate()
        try:
            herd.wait(timeout=30)
        except subprocess.TimeoutExpired:
            herd.kill()

    served = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    # A killed worker may hold any share of the connections (the kernel spreads them, and wrk's
    # reconnections after a kill all land on the survivors): each kill explains at most all of them.
    per_worker = a.connections
    after = lambda s: [x for x in s if x[0] >= 60] or s
    ms, ws = after(master_samples), after(worker_samples)
    print(f"soak: {a.seconds} s of mixed keep-alive load over {a.connections} connections, "
          f"{reloads} reloads, {kills} workers killed")
    print(f"  requests served {served}; failed {errors + non2xx} (socket errors {errors}, non-2xx {non2xx}); "
          f"the kills explain at most {kills * per_worker}")
    print(f"  master RSS {ms[0][1] / 1024:.1f} -> {ms[-1][1] / 1024:.1f} MiB, slope {slope(ms):+.1f} KiB/min")
    if heap_samples:
        hs = after(heap_samples)
        for i, what in enumerate(["live heap after a full GC", "committed heap", "code cache"]):
            series = [(t, v[i]) for t, v in hs]
            print(f"  master {what} {series[0][1] / 1024:.1f} -> {series[-1][1] / 1024:.1f} MiB, "
                  f"slope {slope(series):+.1f} KiB/min ({len(series)} samples, one a minute)")
    if counts:
        end = counts[-1][0]
        second = [c for t, c in counts if 60 <= t < 120] or [c for _, c in counts]
        last = [c for t, c in counts if t >= end - 60]
        print(f"  master threads {median(c[0] for c in second)} -> {median(c[0] for c in last)}, "
              f"open descriptors {median(c[1] for c in second)} -> {median(c[1] for c in last)} "
              f"(medians of the second and of the last minute)")
    print(f"  workers' mean RSS {ws[0][1] / 1024:.1f} -> {ws[-1][1] / 1024:.1f} MiB, slope {slope(ws):+.1f} KiB/min")
    print(f"  herd's log: {log.name}")
    ok = errors + non2xx <= kills * per_worker
    print("  verdict: " + ("every failure is explained by a kill" if ok else "MORE FAILURES THAN THE KILLS EXPLAIN"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
