"""Overload: one worker offered twice what it can serve, with and without a bounded queue.
See bench/overload.sh, which runs this.

herd runs the demo app with one worker under -k threads --threads 2; each request is /io?ms=SERVICE
(it sleeps SERVICE ms holding its thread), so the worker serves at most 2000/SERVICE requests a
second. The client offers twice that, open loop: each request starts at its scheduled time on its
own connection, whatever the earlier ones do, and its latency counts from that scheduled time
(no coordinated omission). Two runs, side by side:
  unbounded: no --max-queue, no --queue-timeout: the queue grows for the whole run;
  bounded:   --max-queue QUEUE --queue-timeout TIMEOUT: what cannot wait is answered 503.
Per run: requests answered 200 and 503, and p50/p99/max latency of each.
"""
import argparse
import os
import socket
import subprocess
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
HERD_HOME = os.path.dirname(BENCH)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Herd:
    def __init__(self, extra):
        self.port = free_port()
        self.tmp = tempfile.mkdtemp(prefix="herd-overload-")
        command = [os.path.join(HERD_HOME, "herd"), "serve", "-w", "1", "-k", "threads", "--threads", "2",
                   "-b", f"127.0.0.1:{self.port}", "--log-level", "warn", "--backlog", "1024"] + extra
        self.log = open(os.path.join(self.tmp, "herd.log"), "w+")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "HERD_NO_BUILD": "1"}, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("herd did not start; see " + self.log.name)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def one_request(port, service_ms, scheduled, results, lock):
    delay = scheduled - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    status = "error"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
            s.sendall(f"GET /io?ms={service_ms} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            head = s.recv(64)
            status = head[9:12].decode() if head.startswith(b"HTTP/1.1 ") else "error"
            while s.recv(4096):
                pass
    except OSError:
        pass
    latency = time.monotonic() - scheduled
    with lock:
        results.append((status, latency))


def drive(port, rate, seconds, service_ms):
    results, lock, threads = [], threading.Lock(), []
    start = time.monotonic() + 0.2
    for i in range(int(rate * seconds)):
        t = threading.Thread(target=one_request, args=(port, service_ms, start + i / rate, results, lock),
                             daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(timeout=120)
    return results


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(name, results, seconds):
    print(f"{name}:")
    for status in sorted({s for s, _ in results}):
        latencies = [l * 1000 for s, l in results if s == status]
        print(f"  {status}: {len(latencies):5d} ({len(latencies) / seconds:6.1f}/s)  p50 {percentile(latencies, 50):8.1f} ms"
              f"  p99 {percentile(latencies, 99):8.1f} ms  max {max(latencies):8.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--service-ms", type=int, default=20)
    parser.add_argument("--queue", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=0.1)
    args = parser.parse_args()
    capacity = 2 * 1000 / args.service_ms
    rate = 2 * capacity
    print(f"one worker, 2 threads, {args.service_ms} ms per request: capacity {capacity:.0f}/s; offered {rate:.0f}/s"
          f" for {args.seconds:.0f} s, open loop")
    for name, extra in (("unbounded", []),
                        (f"bounded (--max-queue {args.queue} --queue-timeout {args.timeout})",
                         ["--max-queue", str(args.queue), "--queue-timeout", str(args.timeout)])):
        herd = Herd(extra)
        try:
            results = drive(herd.port, rate, args.seconds, args.service_ms)
        finally:
            herd.stop()
        report(name, results, args.seconds)


if __name__ == "__main__":
    main()
