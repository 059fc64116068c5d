#!/usr/bin/env python3
"""Download client for bench/streams.sh: N keep-alive connections fetch one URL again and again
for a warm-up and then a measured time, and print what the measured time moved and cost.

Why not wrk: wrk reads the socket 8 KiB at a time, so on a 2-core machine it tops out near
0.4 GiB/s on a big download and measures itself rather than the server. Here each connection
is a thread that reads with recv_into() into a 1 MiB buffer (the GIL is released while it
waits in the kernel), so a GiB costs the client about 130,000 fewer system calls than wrk.

Bytes are counted as they arrive, partial downloads included, so a measured window shorter
than one download still gives a rate. Each response must be 200 with the expected
content-length (--expect), or it counts as an error and the connection starts again.

The CPU time the server spent in the measured window is read here too, from
/proc/PID/stat (utime + stime) of the --pid processes, at the same instants as the byte
counts; the client's own CPU time comes from getrusage() (all its threads), and the whole
machine's busy time from /proc/stat (what neither used was someone else's: a shared machine).

Prints one line: bytes=B seconds=S downloads=D errors=E client_cpu=C server_cpu=V machine_cpu=M
  download.py URL --connections N --warmup S --duration S --expect BYTES [--pid PID]...
"""
import argparse
import os
import resource
import socket
import sys
import threading
import time
from urllib.parse import urlsplit

BUFFER = 1 << 20
TICKS = os.sysconf("SC_CLK_TCK")


class Lane(threading.Thread):
    """One connection: GET, read the body to its end, again, until told to stop."""

    def __init__(self, host, port, target, expect, stop):
        super().__init__(daemon=True)
        self.host, self.port, self.expect, self.stop = host, port, expect, stop
        self.request = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
        self.bytes = 0       # body bytes received; read by the main thread (a plain int: atomic enough)
        self.downloads = 0   # complete bodies
        self.errors = 0

    def run(self):
        buffer = bytearray(BUFFER)
        view = memoryview(buffer)
        while not self.stop.is_set():
            try:
                with socket.create_connection((self.host, self.port), timeout=10) as s:
                    while not self.stop.is_set():
                        self.one(s, view)
            except (OSError, ValueError) as error:
                if self.stop.is_set():
                    return
                self.errors += 1
                print(f"download: {error}", file=sys.stderr)
                time.sleep(0.1)

    def one(self, s, view):
        s.sendall(self.request)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(65536)
            if not chunk:
                raise ValueError("connection closed before the response head")
            head += chunk
        head, body = head.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        if not lines[0].startswith(b"HTTP/1.1 200"):
            raise ValueError(f"status line {lines[0]!r}")
        fields = dict(line.split(b":", 1) for line in lines[1:])
        fields = {name.strip().lower(): value.strip() for name, value in fields.items()}
        length = int(fields.get(b"content-length", b"-1"))
        if length != self.expect:
            raise ValueError(f"content-length {length}, expected {self.expect}")
        got = len(body)
        self.bytes += got
        while got < length:
            if self.stop.is_set():
                raise ValueError("stopped")  # mid-body: the connection is closed and the lane ends
            n = s.recv_into(view, min(BUFFER, length - got))
            if n == 0:
                raise ValueError(f"connection closed after {got} of {length} body bytes")
            got += n
            self.bytes += n
        self.downloads += 1


def server_ticks(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total


def client_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_ticks():
    """CPU time the whole machine spent busy (all cores, every process, interrupts included)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]  # user nice system idle iowait irq softirq steal
    return sum(fields) - fields[3] - fields[4]


def snapshot(lanes, pids):
    return (time.monotonic(), sum(lane.bytes for lane in lanes), sum(lane.downloads for lane in lanes),
            sum(lane.errors for lane in lanes), client_seconds(), server_ticks(pids), machine_ticks())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--duration", type=float, default=6.0)
    parser.add_argument("--expect", type=int, required=True, help="the content-length every response must have")
    parser.add_argument("--pid", type=int, action="append", default=[], help="a server process to charge CPU to")
    args = parser.parse_args()
    url = urlsplit(args.url)
    target = url.path + (f"?{url.query}" if url.query else "")
    stop = threading.Event()
    lanes = [Lane(url.hostname, url.port, target, args.expect, stop) for _ in range(args.connections)]
    for lane in lanes:
        lane.start()
    time.sleep(args.warmup)
    t0, b0, d0, e0, c0, s0, m0 = snapshot(lanes, args.pid)
    time.sleep(args.duration)
    t1, b1, d1, e1, c1, s1, m1 = snapshot(lanes, args.pid)
    stop.set()
    print(f"bytes={b1 - b0} seconds={t1 - t0:.3f} downloads={d1 - d0} errors={e1 - e0}"
          f" client_cpu={c1 - c0:.3f} server_cpu={(s1 - s0) / TICKS:.3f} machine_cpu={(m1 - m0) / TICKS:.3f}",
          flush=True)
    # Lanes blocked in recv() end with their sockets at exit; no need to wait for them.
    os._exit(0)


if __name__ == "__main__":
    main()
