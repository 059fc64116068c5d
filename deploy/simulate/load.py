#!/usr/bin/env python3
"""A bounded load through the balancer, with one session: each thread keeps a connection open and
asks GET /me with the session's cookie, over and over, until the time is up. Every answer is
recorded as ok (200 naming the session's user), lost-session (200 for someone else or nobody:
continuity broken) or failed (an error, a non-200, a cut connection), with its time.

Usage: load.py HOST PORT COOKIE USER MAX_SECONDS THREADS OUT.json STOP_FILE
It stops once STOP_FILE exists, or after MAX_SECONDS (its bound) in any case.
"""
import os
import http.client
import json
import sys
import threading
import time

host, port, cookie, user = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
seconds, threads, out, stop_file = float(sys.argv[5]), int(sys.argv[6]), sys.argv[7], sys.argv[8]
deadline = time.time() + seconds
lock = threading.Lock()
results = []  # (time, outcome, detail)


def worker():
    connection = None
    while time.time() < deadline and not os.path.exists(stop_file):
        started = time.time()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.request("GET", "/me", headers={"Cookie": cookie})
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            if response.status != 200:
                outcome, detail = "failed", "status %d" % response.status
            elif user in body:
                outcome, detail = "ok", ""
            else:
                outcome, detail = "lost_session", body[:80]
            if response.getheader("connection", "").lower() == "close":
                connection.close()
                connection = None
        except Exception as e:  # a cut connection, a timeout: the request failed
            outcome, detail = "failed", type(e).__name__ + ": " + str(e)[:80]
            if connection is not None:
                connection.close()
            connection = None
        with lock:
            results.append((started, outcome, detail))


pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join(seconds + 30)
with open(out, "w") as f:
    json.dump(sorted(results), f)
