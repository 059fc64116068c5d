"""Shared state: herd's local store (in the master) against Redis on the same machine, and an
in-process ConcurrentHashMap as the floor. See bench/state.sh, which builds and runs this.

Each round starts herd once per (backend, form) with bench/apps/StateBenchApp and asks it to run
get, put and incr for a fixed time:
  blocking: 2 workers x 8 threads (-k threads --balance least-busy), 16 requests at once over 16
            connections, each looping on its own thread;
  async:    2 workers (-k async), one request per worker keeping WINDOW operations in flight.
Each request answers its count and a latency histogram (2% buckets); they are merged here. The
store's CPU (herd's master, or redis-server) is read from /proc around each run. Backends
alternate within a round, and ratios local/redis are taken inside each round, then the median.
"""
import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
HERD_HOME = os.path.dirname(BENCH)
APP = "dev.herd.bench.apps.StateBenchApp"
OPS = ("get", "put", "incr")
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Herd:
    def __init__(self, jar, state, form, master_opts="", workers=2, threads=8):
        self.port = free_port()
        self.tmp = tempfile.mkdtemp(prefix="herd-state-bench-")
        self.pid_file = os.path.join(self.tmp, "herd.pid")
        model = "async" if form == "async" else "threads"
        command = [os.path.join(HERD_HOME, "herd"), "serve", "-w", str(workers), "-k", model, "--threads",
                   str(threads), "--balance", "least-busy", "-b", f"127.0.0.1:{self.port}", "-p", self.pid_file,
                   "--state", state, "--log-level", "warn", "--app-jar", jar, APP]
        self.log = open(os.path.join(self.tmp, "herd.log"), "w+")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "HERD_NO_BUILD": "1",
                                                               "HERD_MASTER_JAVA_OPTS": master_opts},
                                        start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
                    if s.recv(16).startswith(b"HTTP/1.1 404"):
                        return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        self.log.seek(0)
        sys.exit("bench: herd did not start:\n" + self.log.read())

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def run_requests(port, count, query):
    """`count` requests at once on their own connections; returns their (ops, histogram) answers."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=120) for _ in range(count)]
    for c in connections:
        c.connect()  # all open before any request: least-busy spreads them evenly
    answers = [None] * count
    failures = []

    def one(i):
        try:
            connections[i].request("GET", "/run?" + query)
            response = connections[i].getresponse()
            body = response.read().decode()
            if response.status != 200:
                raise RuntimeError(f"status {response.status}: {body[:200]}")
            lines = body.split("\n")
            histogram = {}
            for line in lines[1:]:
                if line:
                    bucket, n = line.split()
                    histogram[int(bucket)] = int(n)
            answers[i] = (int(lines[0]), histogram)
        except Exception as e:  # noqa: BLE001 - reported below, the run is void
            failures.append(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in connections:
        c.close()
    if failures:
        sys.exit(f"bench: a run failed: {failures[0]}")
    return answers


def percentile(histogram, q):
    total = sum(histogram.values())
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= q * total:
            return 1.02 ** (bucket + 0.5) / 1000.0  # microseconds, the bucket's middle
    return float("nan")


def measure(herd, store_pid, form, op, seconds, window, store="shared"):
    if form == "async":
        query = f"op={op}&seconds={seconds}&window={window}"
        count = 2
    else:
        query = f"op={op}&seconds={seconds}&store={store}"
        count = 16
    cpu_before = cpu_seconds(store_pid) if store_pid else 0
    answers = run_requests(herd.port, count, query)
    cpu = (cpu_seconds(store_pid) - cpu_before) if store_pid else float("nan")
    ops = sum(a[0] for a in answers)
    merged = {}
    for _, histogram in answers:
        for bucket, n in histogram.items():
            merged[bucket] = merged.get(bucket, 0) + n
    return {"ops_s": ops / seconds, "p50": percentile(merged, 0.50), "p99": percentile(merged, 0.99),
            "store_cpu_us_per_op": cpu / ops * 1e6 if ops else float("nan")}


def master_pid(herd):
    with open(herd.pid_file) as f:
        return int(f.read().strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--window", type=int, default=8)
    args = parser.parse_args()

    redis_port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--loglevel", "warning"], stdout=subprocess.DEVNULL)
    results = {}  # (backend, form, op) -> [run, ...]
    try:
        time.sleep(0.5)
        # local-c1: the same local store, its master stopped at the first compiler (C1), the
        # smallest master; the launcher lets C2 in.
        backends = {"local": ("local", ""), "local-c1": ("local", "-XX:TieredStopAtLevel=1"),
                    "redis": (f"redis://127.0.0.1:{redis_port}/0", "")}
        for round_number in range(args.rounds):
            order = list(backends) if round_number % 2 == 0 else list(reversed(backends))
            for form in ("blocking", "async"):
                for backend in order:
                    state, master_opts = backends[backend]
                    herd = Herd(args.jar, state, form, master_opts)
                    try:
                        store_pid = redis.pid if backend == "redis" else master_pid(herd)
                        # A short warm-up per op: JIT, connections, the keys written once.
                        for op in OPS:
                            measure(herd, store_pid, form, op, 1, args.window)
                        for op in OPS:
                            r = measure(herd, store_pid, form, op, args.seconds, args.window)
                            results.setdefault((backend, form, op), []).append(r)
                            print(f"round {round_number + 1} {backend:8} {form:8} {op:4}: {r['ops_s']:9.0f} ops/s"
                                  f"  p50 {r['p50']:7.1f} us  p99 {r['p99']:7.1f} us"
                                  f"  store CPU {r['store_cpu_us_per_op']:5.2f} us/op", flush=True)
                        if form == "blocking" and backend == order[0]:
                            for op in OPS:
                                r = measure(herd, None, form, op, args.seconds, args.window, store="memory")
                                results.setdefault(("memory", form, op), []).append(r)
                                print(f"round {round_number + 1} memory {form:8} {op:4}: {r['ops_s']:9.0f} ops/s"
                                      f"  p50 {r['p50']:7.1f} us  p99 {r['p99']:7.1f} us", flush=True)
                    finally:
                        herd.stop()
    finally:
        redis.terminate()
        redis.wait(10)

    print()
    print("median over rounds; ratios against redis inside each round (ops/s: higher is better;"
          " p99: lower is better)")
    print(f"{'form':8} {'op':4} {'local':>9} {'local-c1':>9} {'redis':>9} {'memory':>9} {'local/r':>8}"
          f" {'c1/r':>6} {'p99 local':>10} {'p99 c1':>8} {'p99 redis':>10} {'local/r':>8} {'c1/r':>6}")
    for form in ("blocking", "async"):
        for op in OPS:
            runs = {b: results[(b, form, op)] for b in ("local", "local-c1", "redis")}
            memory = results.get(("memory", form, op))

            def ratio(backend, key):
                return statistics.median(a[key] / b[key] for a, b in zip(runs[backend], runs["redis"]))

            def median(backend, key):
                return statistics.median(r[key] for r in runs[backend])

            mem = f"{statistics.median(m['ops_s'] for m in memory):9.0f}" if memory else f"{'-':>9}"
            print(f"{form:8} {op:4} {median('local', 'ops_s'):9.0f} {median('local-c1', 'ops_s'):9.0f}"
                  f" {median('redis', 'ops_s'):9.0f} {mem} {ratio('local', 'ops_s'):8.2f}"
                  f" {ratio('local-c1', 'ops_s'):6.2f} {median('local', 'p99'):8.0f}us"
                  f" {median('local-c1', 'p99'):6.0f}us {median('redis', 'p99'):8.0f}us"
                  f" {ratio('local', 'p99'):8.2f} {ratio('local-c1', 'p99'):6.2f}")

if __name__ == "__main__":
    main()
