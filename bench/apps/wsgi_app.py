"""The benchmark's endpoints as a WSGI app, for Gunicorn (sync and gthread workers).

/cpu burns about 1 ms of CPU with the same chained SHA-256 of 32 bytes as the JVM apps; CPython
needs fewer rounds for the same time (HERD_BENCH_PY_ROUNDS, 4,600 on the reference machine).
/io blocks its worker thread for 10 ms, which is what a WSGI app can do.
"""
import hashlib
import os
import time

ROUNDS = int(os.environ.get("HERD_BENCH_PY_ROUNDS", "4600"))


def burn():
    digest = bytes(32)
    for _ in range(ROUNDS):
        digest = hashlib.sha256(digest).digest()
    return digest[0]


def text(start_response, status, body):
    data = body.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))])
    return [data]


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/hello":
        return text(start_response, "200 OK", "Hello, World!")
    if path == "/cpu":
        return text(start_response, "200 OK", "burned %d\n" % burn())
    if path == "/io":
        time.sleep(0.010)
        return text(start_response, "200 OK", "waited 10 ms\n")
    return text(start_response, "404 Not Found", "Not Found\n")
