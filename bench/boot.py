"""A worker's boot and memory, with and without the JDK AOT cache herd makes (--aot-cache): see
bench/boot.sh. For each mode it starts herd's demo app (or --app: a WAR, say), then kills the worker SPAWNS times in a
row (the master replaces it at once) and reads each replacement's spawn-to-ready time from the
master's ready line; then it starts WORKERS workers, puts some load through them, and reads each
worker's RSS and PSS from /proc/PID/smaps_rollup.
"""
import argparse
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERD_HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETTLE_S = 12
READY = re.compile(r"worker \d+ pid=(\d+) ready \(generation \d+, boot (\d+) ms, (\d+) ms after spawn\)")


class Herd:
    def __init__(self, workers, port, extra, logdir, name):
        self.log_path = os.path.join(logdir, name + ".log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [os.path.join(HERD_HOME, "herd"), "serve", "-w", str(workers), "-k", "threads", "-b", f"127.0.0.1:{port}"]
            + extra, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "HERD_NO_BUILD": "1"})
        self.port = port

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_for(self, pattern, count=1, timeout_s=60):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = re.findall(pattern, self.output())
            if len(found) >= count:
                return found
            if self.process.poll() is not None:
                raise RuntimeError("herd exited:\n" + self.output()[-2000:])
            time.sleep(0.02)
        raise RuntimeError(f"no {pattern!r} x{count} within {timeout_s} s:\n" + self.output()[-2000:])

    def ready_workers(self):
        return [int(pid) for pid, _, _ in READY.findall(self.output())]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def smaps(pid):
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                values[parts[0][:-1]] = int(parts[1]) / 1024  # MiB
    return values


def alive(pid):
    return os.path.exists(f"/proc/{pid}")


def boots(extra, spawns, port, logdir, name):
    """Spawn-to-ready times (ms) of SPAWNS replacement workers, one after the other."""
    herd = Herd(1, port, extra, logdir, name)
    try:
        herd.wait_for(r"ready pid=\d+ listen=")
        times = []
        for i in range(spawns):
            pid = herd.ready_workers()[-1]
            os.kill(pid, signal.SIGKILL)
            found = herd.wait_for(READY.pattern, i + 2)
            times.append(int(found[-1][2]))
            time.sleep(0.3)  # let the new worker's JIT threads settle before the next kill
        return times
    finally:
        herd.stop()


def memory(extra, workers, port, logdir, name, path):
    herd = Herd(workers, port, extra, logdir, name)
    try:
        herd.wait_for(r"ready pid=\d+ listen=")
        subprocess.run(["wrk", "-t1", "-c16", "-d2s", f"http://127.0.0.1:{port}{path}"], capture_output=True)
        time.sleep(0.5)
        pids = herd.ready_workers()[-workers:]
        loaded = [smaps(pid) for pid in pids if alive(pid)]
        # Again once the JIT's burst is over: its compiler arenas are native memory that the
        # JVM frees but the C library keeps unless it is trimmed.
        time.sleep(SETTLE_S)
        settled = [smaps(pid) for pid in pids if alive(pid)]
        return loaded, settled
    finally:
        herd.stop()


def usage_error(message):
    """Bad flags: one line saying what is wrong, status 2, like every herd command."""
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser(prog="bench/boot.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--spawns", type=int, default=10, help="replacement workers timed per mode (default 10)")
    parser.add_argument("--workers", type=int, default=3, help="workers whose memory is read (default 3)")
    parser.add_argument("--port", type=int, default=18470, help="loopback port (default 18470)")
    parser.add_argument("--jvm-opts", default="", help="--worker-jvm-opts for both modes (default: herd's)")
    parser.add_argument("--app", default="", help="the app's arguments to herd serve, e.g. a WAR (default: the demo)")
    parser.add_argument("--path", default="/hello", help="what the memory run's load requests (default /hello)")
    parser.error = usage_error
    args = parser.parse_args()
    if args.spawns < 1 or args.workers < 1:
        parser.error("--spawns and --workers must be at least 1")

    logdir = tempfile.mkdtemp(prefix="herd-boot-")
    cache_dir = os.path.join(logdir, "aot")
    base = (["--worker-jvm-opts", args.jvm_opts] if args.jvm_opts else []) + shlex.split(args.app)
    modes = [("no cache", base), ("AOT cache", base + ["--aot-cache", cache_dir])]
    try:
        # Make the cache once, untimed: the first run trains it in the background.
        herd = Herd(1, args.port, modes[1][1], logdir, "train")
        herd.wait_for(r"AOT cache \S+ ready after \d+ ms|no AOT cache", 1, 180)
        herd.stop()
        if not any(name.endswith(".aot") for name in os.listdir(cache_dir)):
            raise SystemExit("bench: the AOT cache was not made:\n" + herd.output()[-2000:])
        rows = []
        for name, extra in modes:
            times = boots(extra, args.spawns, args.port, logdir, "boot-" + name.replace(" ", "-"))
            maps = memory(extra, args.workers, args.port, logdir, "mem-" + name.replace(" ", "-"), args.path)
            rows.append((name, times, maps))
    finally:
        shutil.rmtree(logdir, ignore_errors=True)

    opts = args.jvm_opts or "herd's default"
    app = args.app or "demo app"
    print(f"Worker boot and memory, {app}, threads model; worker JVM options: {opts}; {os.cpu_count()} cores.")
    print(f"Spawn to ready: {args.spawns} replacement workers in a row (master's clock, from fork to the worker's"
          f" Ready message). Memory: {args.workers} workers right after 2 s of {args.path}, and {SETTLE_S} s later,"
          f" from /proc/PID/smaps_rollup.")
    print()
    print("| worker JVM | spawn to ready, median | min | max | RSS per worker | PSS per worker"
          f" | RSS {SETTLE_S} s later | PSS {SETTLE_S} s later |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, times, (loaded, settled) in rows:
        columns = [statistics.mean(m[key] for m in maps) for maps in (loaded, settled) for key in ("Rss", "Pss")]
        print(f"| {name} | {statistics.median(times):.0f} ms | {min(times)} ms | {max(times)} ms | "
              + " | ".join(f"{value:.1f} MiB" for value in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
