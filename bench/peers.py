"""herd against its peers, in one run: see bench/peers.sh (which finds the JDK and builds) and
docs/benchmarks.md (how to read the table).

Each round starts every system in turn on a loopback port, drives /hello, /cpu and /io with wrk
(one thread, a fixed number of connections, a warm-up thrown away before each measurement),
then stops it. The order of the systems rotates from round to round, so slow drift of the
machine (other work, thermal) spreads over all of them. Ratios are computed inside each round,
then their median is reported: two systems are only compared with figures taken minutes apart.
"""
import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

BENCH = os.path.dirname(os.path.abspath(__file__))
HERD_HOME = os.path.dirname(BENCH)
PEERS_JAR = os.path.join(BENCH, "peers", "target", "peers.jar")
PEERS_LIB = os.path.join(BENCH, "peers", "target", "lib")
# A Spring Web MVC WAR (a @RestController answering JSON), built by herd's own build for its tests.
SPRING_WAR = os.path.join(HERD_HOME, "it", "apps", "spring", "target", "herd-it-spring.war")
SERVLET = ("--app-jar", PEERS_JAR, "--servlet", "dev.herd.bench.peers.BenchServlet")
SPRING = {"paths": {"/hello": "/greeting?name=World"}, "expected": {"/hello": '"message":"hello, World"'}}
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, the one python3-gunicorn and python3-uvicorn install into
ENDPOINTS = ("/hello", "/cpu", "/io")
IO_WAIT_S = 0.010
PORTS = range(18400, 18999)
EXPECTED_BODY = {"/hello": "Hello, World!", "/cpu": "burned", "/io": "waited 10 ms"}


@dataclass
class System:
    """One server configuration: how to start it, and which line (or answer) says it is ready."""
    name: str
    command: list
    ready_line: str = None  # a regex on its output; None: the first answer to GET /hello
    endpoints: tuple = ENDPOINTS
    env: dict = field(default_factory=dict)
    # What each endpoint is called in this system, and what its answer holds, where they differ
    # (the Spring MVC app answers /hello's part with its JSON /greeting).
    paths: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)

    def path(self, endpoint):
        return self.paths.get(endpoint, endpoint)


def java():
    return os.path.join(os.environ["JAVA_HOME"], "bin", "java")


def herd(name, workers, model, threads=8, endpoints=ENDPOINTS, options=(), **more):
    return System(name, [os.path.join(HERD_HOME, "herd"), "serve", "-w", str(workers), "-k", model,
                         "--threads", str(threads), "-b", "127.0.0.1:{port}", *options],
                  ready_line=r"ready pid=\d+ listen=", endpoints=endpoints, env={"HERD_NO_BUILD": "1"}, **more)


def jvm_peer(name, main_class, threads, extra=(), endpoints=ENDPOINTS, **more):
    # The same worker JVM options herd uses by default, so the JVMs differ only by their code; and
    # Netty's JFR buffer events off, as every herd JVM has them (dev.herd.JvmDefaults).
    return System(name, [java(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                         "-XX:+UseSerialGC", "-Xms16m", "-XX:+ExitOnOutOfMemoryError", "-Xss512k",
                         "-XX:TrimNativeHeapInterval=2000", "-Dio.netty.jfr.enabled=false",
                         "-cp", PEERS_JAR + ":" + PEERS_LIB + "/*", "dev.herd.bench.peers." + main_class,
                         "{port}", str(threads), *extra],
                  ready_line=r" ready port=", endpoints=endpoints, **more)


def gunicorn(name, workers, threads=None):
    command = [SYSTEM_PYTHON, "-m", "gunicorn", "--chdir", os.path.join(BENCH, "apps"), "-b", "127.0.0.1:{port}",
               "-w", str(workers), "--log-level", "warning"]
    if threads:
        command += ["-k", "gthread", "--threads", str(threads)]
    return System(name, command + ["wsgi_app:app"])


def uvicorn(name, workers):
    return System(name, [SYSTEM_PYTHON, "-m", "uvicorn", "--app-dir", os.path.join(BENCH, "apps"),
                         "--host", "127.0.0.1", "--port", "{port}", "--workers", str(workers),
                         "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
                         "asgi_app:app"])


def systems():
    return [
        herd("herd sync, 1 worker", 1, "sync"),
        herd("herd sync, 2 workers", 2, "sync"),
        herd("herd threads, 1x8", 1, "threads"),
        herd("herd threads, 2x8", 2, "threads"),
        herd("herd threads, 1x2", 1, "threads", threads=2, endpoints=("/cpu",)),
        herd("herd virtual, 1 worker", 1, "virtual"),
        herd("herd virtual, 2 workers", 2, "virtual"),
        herd("herd virtual on the loop, 1 worker", 1, "virtual", options=("--virtual-scheduler", "loop")),
        herd("herd virtual on the loop, 2 workers", 2, "virtual", options=("--virtual-scheduler", "loop")),
        herd("herd async, 1 worker", 1, "async"),
        herd("herd async, 2 workers", 2, "async"),
        # What recording each request in the metrics costs (--no-metrics against the default).
        herd("herd async, 1 worker, metrics off", 1, "async", endpoints=("/hello",), options=("--no-metrics",)),
        herd("herd threads, 1x8, metrics off", 1, "threads", endpoints=("/hello",), options=("--no-metrics",)),
        jvm_peer("Netty, 1 event loop", "NettyPeer", 1),
        jvm_peer("Netty, 2 event loops", "NettyPeer", 2),
        jvm_peer("Vert.x, 1 event loop", "VertxPeer", 1),
        jvm_peer("Vert.x, 2 event loops", "VertxPeer", 2),
        jvm_peer("Helidon, 1 carrier", "HelidonPeer", 1),
        jvm_peer("Helidon, 2 carriers", "HelidonPeer", 2),
        gunicorn("Gunicorn sync, 1 worker", 1),
        gunicorn("Gunicorn sync, 2 workers", 2),
        gunicorn("Gunicorn gthread, 1x8", 1, threads=8),
        gunicorn("Gunicorn gthread, 2x8", 2, threads=8),
        uvicorn("Uvicorn, 1 worker", 1),
        uvicorn("Uvicorn, 2 workers", 2),
        # Servlets: one plain HttpServlet on herd's Jetty workers, standalone Jetty and Tomcat.
        herd("herd servlet, 1x8", 1, "threads", options=SERVLET),
        herd("herd servlet, 2x8", 2, "threads", options=SERVLET),
        jvm_peer("Jetty servlet, 8 threads", "JettyPeer", 8),
        jvm_peer("Tomcat servlet, 8 threads", "TomcatPeer", 8),
        herd("herd Spring MVC WAR, 1x8", 1, "threads", endpoints=("/hello",), options=(SPRING_WAR,), **SPRING),
        jvm_peer("Jetty Spring MVC WAR, 8 threads", "JettyPeer", 8, extra=(SPRING_WAR,), endpoints=("/hello",),
                 **SPRING),
    ]


# The targets of the issue, as ratios taken inside one round: (label, numerator, denominator or
# a ceiling name, endpoint, the least ratio that meets the target).
TARGETS = [
    ("/hello herd async 1 worker, metrics on vs off", "herd async, 1 worker", "herd async, 1 worker, metrics off",
     "/hello", 0.97),
    ("/hello herd threads 1x8, metrics on vs off", "herd threads, 1x8", "herd threads, 1x8, metrics off", "/hello",
     0.97),
    ("/hello herd async 1 worker vs Netty 1 loop", "herd async, 1 worker", "Netty, 1 event loop", "/hello", 0.95),
    ("/hello herd async 2 workers vs Netty 2 loops", "herd async, 2 workers", "Netty, 2 event loops", "/hello", 0.95),
    ("/hello herd virtual 1 worker vs Helidon 1 carrier", "herd virtual, 1 worker", "Helidon, 1 carrier", "/hello",
     0.9),
    ("/hello herd virtual 2 workers vs Helidon 2 carriers", "herd virtual, 2 workers", "Helidon, 2 carriers", "/hello",
     0.9),
    ("/hello herd virtual on the loop 1 worker vs Helidon 1 carrier", "herd virtual on the loop, 1 worker",
     "Helidon, 1 carrier", "/hello", 0.9),
    ("/hello herd virtual on the loop 2 workers vs Helidon 2 carriers", "herd virtual on the loop, 2 workers",
     "Helidon, 2 carriers", "/hello", 0.9),
    ("/io herd virtual 1 worker vs ceiling", "herd virtual, 1 worker", "io ceiling", "/io", 0.97),
    ("/io herd virtual 2 workers vs ceiling", "herd virtual, 2 workers", "io ceiling", "/io", 0.97),
    ("/io herd virtual on the loop 2 workers vs ceiling", "herd virtual on the loop, 2 workers", "io ceiling", "/io",
     0.97),
    ("/io herd async 1 worker vs ceiling", "herd async, 1 worker", "io ceiling", "/io", 0.97),
    ("/io herd async 2 workers vs ceiling", "herd async, 2 workers", "io ceiling", "/io", 0.97),
    ("/cpu herd sync 2 workers vs ceiling", "herd sync, 2 workers", "cpu ceiling", "/cpu", 0.95),
    ("/cpu herd threads 2x8 vs ceiling", "herd threads, 2x8", "cpu ceiling", "/cpu", 0.95),
    ("/cpu herd virtual 2 workers vs ceiling", "herd virtual, 2 workers", "cpu ceiling", "/cpu", 0.95),
    ("/cpu herd virtual on the loop 2 workers vs ceiling", "herd virtual on the loop, 2 workers", "cpu ceiling",
     "/cpu", 0.95),
    ("/cpu herd async 2 workers vs ceiling", "herd async, 2 workers", "cpu ceiling", "/cpu", 0.95),
    ("/cpu 2 processes x 1 thread vs 1 process x 2 threads", "herd sync, 2 workers", "herd threads, 1x2", "/cpu",
     None),
    ("/hello herd servlet 1 worker vs Jetty, same threads", "herd servlet, 1x8", "Jetty servlet, 8 threads", "/hello",
     0.95),
    ("/cpu herd servlet 1 worker vs Jetty, same threads", "herd servlet, 1x8", "Jetty servlet, 8 threads", "/cpu", 0.95),
    ("/io herd servlet 1 worker vs Jetty, same threads", "herd servlet, 1x8", "Jetty servlet, 8 threads", "/io", 0.95),
    ("/cpu herd servlet 2 workers vs Jetty", "herd servlet, 2x8", "Jetty servlet, 8 threads", "/cpu", 1.0),
    ("/cpu herd servlet 2 workers vs Tomcat", "herd servlet, 2x8", "Tomcat servlet, 8 threads", "/cpu", 1.0),
    ("Spring MVC JSON: herd 1 worker vs standalone Jetty", "herd Spring MVC WAR, 1x8",
     "Jetty Spring MVC WAR, 8 threads", "/hello", 0.95),
]


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port():
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit("bench: no free port in 18400-18998")


class Running:
    """A started system: its own process group, so that stopping it reaps every process it made."""

    def __init__(self, system, port, logdir, env):
        self.system = system
        self.port = port
        self.log_path = os.path.join(logdir, re.sub(r"\W+", "-", system.name) + ".log")
        self.log = open(self.log_path, "w")
        command = [part.replace("{port}", str(port)) for part in system.command]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env={**env, **system.env},
                                        start_new_session=True)

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_ready(self, timeout_s=90):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.system.name} exited with {self.process.returncode}:\n"
                                   + self.output()[-2000:])
            if self.system.ready_line is not None:
                if re.search(self.system.ready_line, self.output()):
                    return
            elif get(self.port, "/hello", timeout_s=1) is not None:
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.system.name} not ready within {timeout_s} s:\n{self.output()[-2000:]}")

    def stop(self, grace_s=35):
        """SIGTERM (each system's graceful stop), then SIGKILL of its group past the grace: longer
        than Gunicorn's own 30 s graceful timeout, after which it kills a worker that did not stop.

        True if it went by itself and left nothing behind."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(grace_s)
            clean = True
        except subprocess.TimeoutExpired:
            clean = False
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # leftovers of its group (its workers), if any
        except ProcessLookupError:
            pass
        self.process.wait()
        self.log.close()
        return clean and group_gone(self.process.pid)


def zombie(pid):
    """An exited process not yet reaped (its parent gone, waiting for the container's init): it runs nothing."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def group_gone(pgid, timeout_s=10):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        alive = False
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    if os.getpgid(int(pid)) == pgid and not zombie(pid):
                        alive = True
                        break
                except ProcessLookupError:
                    pass
        if not alive:
            return True
        time.sleep(0.1)
    return False


def get(port, path, timeout_s=5):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout_s) as response:
            return response.status, response.read().decode(errors="replace")
    except (OSError, ValueError):
        return None


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS_MS[match.group(2)] if match else float("nan")


def wrk(port, path, connections, duration_s):
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration_s}s", "--latency",
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         timeout=duration_s + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    if not rps or not p50 or not p99:
        raise RuntimeError(f"wrk gave no figures for {path}:\n{out}")
    return Result(float(rps.group(1)), to_ms(p50.group(1)), to_ms(p99.group(1)), errors)


def java_cpu_ms():
    """CPU time of one /cpu request's work in the JVM, measured by the peers' Calibrate."""
    out = subprocess.run([java(), "-XX:+UseSerialGC", "-cp", PEERS_JAR, "dev.herd.bench.peers.Calibrate"],
                         capture_output=True, text=True, check=True).stdout
    return float(out.split()[0])


def python_cpu_ms(rounds):
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); import wsgi_app\n"
            "[wsgi_app.burn() for _ in range(50)]\n"
            "t = time.process_time(); [wsgi_app.burn() for _ in range(300)]\n"
            "print((time.process_time() - t) / 300 * 1000)")
    out = subprocess.run([SYSTEM_PYTHON, "-c", code, os.path.join(BENCH, "apps")], capture_output=True, text=True,
                         check=True, env={**os.environ, "HERD_BENCH_PY_ROUNDS": str(rounds)}).stdout
    return float(out)


def smoke(chosen, env, logdir):
    """Starts each system, checks one answer per endpoint, stops it: the harness works, nothing is timed."""
    failures = 0
    for system in chosen:
        running = Running(system, free_port(), logdir, env)
        problem = None
        try:
            running.wait_ready()
            for path in system.endpoints:
                answer = get(running.port, system.path(path), timeout_s=30)
                expected = system.expected.get(path, EXPECTED_BODY[path])
                if answer is None or answer[0] != 200 or expected not in answer[1]:
                    problem = f"{path} answered {answer!r}"
                    break
        except RuntimeError as e:
            problem = str(e)
        finally:
            stopped = running.stop()
        if problem is None and not stopped:
            problem = "did not stop by itself on SIGTERM, or left processes behind"
        print(f"smoke {'ok' if problem is None else 'FAILED'}: {system.name}" + ("" if problem is None else
                                                                                  f": {problem}"), flush=True)
        failures += problem is not None
    return 1 if failures else 0


def measure(chosen, args, env, logdir):
    """results[round][system][endpoint] = Result"""
    results = []
    for round_no in range(args.rounds):
        offset = round_no % len(chosen)
        order = chosen[offset:] + chosen[:offset]
        this_round = {}
        for system in order:
            running = Running(system, free_port(), logdir, env)
            try:
                running.wait_ready()
                this_round[system.name] = {}
                # One longer warm-up of the shared request path (JIT), then a short one per endpoint.
                if args.system_warmup > 0:
                    wrk(running.port, system.path("/hello"), args.connections, args.system_warmup)
                for path in system.endpoints:
                    if path not in args.endpoints:
                        continue
                    if args.warmup > 0:
                        wrk(running.port, system.path(path), args.connections, args.warmup)
                    result = wrk(running.port, system.path(path), args.connections, args.duration)
                    this_round[system.name][path] = result
                    print(f"round {round_no + 1}/{args.rounds} {system.name} {path}: {result.rps:,.0f} req/s,"
                          f" p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms"
                          + (f", {result.errors} errors" if result.errors else ""), file=sys.stderr, flush=True)
            except RuntimeError as e:
                # One system failing (no start, or wrk got no answer) leaves its cells empty, not the run.
                print(f"round {round_no + 1}/{args.rounds} {system.name}: FAILED: {e}", file=sys.stderr, flush=True)
            finally:
                if not running.stop():
                    print(f"bench: {system.name} did not stop cleanly on SIGTERM", file=sys.stderr)
        results.append(this_round)
    return results


def fmt_ms(ms):
    if ms != ms:
        return "?"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    return f"{ms:.2f} ms" if ms < 10 else f"{ms:.0f} ms"


def median_of(results, name, path, attribute):
    values = [getattr(r[name][path], attribute) for r in results if name in r and path in r[name]]
    return statistics.median(values) if values else None


def table(chosen, results):
    lines = ["| system | " + " | ".join(f"{p} req/s | {p} p50 | {p} p99" for p in ENDPOINTS) + " |",
             "|---|" + "---:|" * (3 * len(ENDPOINTS))]
    for system in chosen:
        cells = []
        for path in ENDPOINTS:
            rps = median_of(results, system.name, path, "rps")
            if rps is None:
                cells += ["", "", ""]
                continue
            errors = sum(r[system.name][path].errors for r in results if system.name in r)
            cells += [f"{rps:,.0f}" + (f" ({errors} err)" if errors else ""),
                      fmt_ms(median_of(results, system.name, path, "p50_ms")),
                      fmt_ms(median_of(results, system.name, path, "p99_ms"))]
        lines.append(f"| {system.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(results, ceilings):
    lines = ["| target | median ratio (per round) | needed | holds |", "|---|---:|---:|---|"]
    for label, numerator, denominator, path, needed in TARGETS:
        ratios = []
        for r in results:
            if numerator not in r or path not in r[numerator]:
                continue
            if denominator in ceilings:
                ratios.append(r[numerator][path].rps / ceilings[denominator])
            elif denominator in r and path in r[denominator]:
                ratios.append(r[numerator][path].rps / r[denominator][path].rps)
        if not ratios:
            continue
        ratio = statistics.median(ratios)
        per_round = ", ".join(f"{x:.3f}" for x in ratios)
        if needed is None:  # "within 5 % of each other"
            holds = abs(ratio - 1) <= 0.05
            need = "0.95-1.05"
        else:
            holds = ratio >= needed
            need = f">= {needed}"
        lines.append(f"| {label} | {ratio:.3f} ({per_round}) | {need} | {'yes' if holds else 'no'} |")
    return "\n".join(lines)


def usage_error(message):
    """Bad flags: one line saying what is wrong, status 2, like every herd command."""
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser(prog="bench/peers.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all systems (default 2)")
    parser.add_argument("--duration", type=int, default=3, help="seconds of each measured wrk run (default 3)")
    # Long enough for the JIT: a herd worker's C2 compiler is busy for 6-15 s under new load,
    # and two workers compile twice on the same cores (shorter warm-ups made 2 workers look
    # slower than 1).
    parser.add_argument("--warmup", type=int, default=5,
                        help="seconds of the warm-up run before each measurement, thrown away (default 5)")
    parser.add_argument("--system-warmup", type=int, default=10,
                        help="seconds of /hello thrown away after each start, before any measurement (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS),
                        help="comma-separated: measure only these endpoints (default all: " + ",".join(ENDPOINTS) + ")")
    parser.add_argument("--only", default="", help="a regex: run only the systems whose name matches it")
    parser.add_argument("--smoke", action="store_true", help="start, check and stop each system; time nothing")
    parser.add_argument("--list", action="store_true", help="list the systems and exit")
    parser.add_argument("--out", help="also write the report (markdown) to this file")
    parser.error = usage_error
    args = parser.parse_args()
    if args.rounds < 1 or args.duration < 1 or args.warmup < 0 or args.system_warmup < 0 or args.connections < 1:
        parser.error("--rounds, --duration and --connections must be at least 1, the warm-ups at least 0")
    args.endpoints = tuple(e.strip() for e in args.endpoints.split(",") if e.strip())
    unknown = [e for e in args.endpoints if e not in ENDPOINTS]
    if unknown or not args.endpoints:
        parser.error(f"--endpoints takes some of {','.join(ENDPOINTS)}, not {','.join(unknown) or 'nothing'}")
    try:
        chosen = [s for s in systems() if re.search(args.only, s.name)]
    except re.error as e:
        parser.error(f"--only is not a regex: {e}")
    if not chosen:
        parser.error(f"no system matches --only {args.only!r}")
    if args.list:
        print("\n".join(s.name for s in chosen))
        return 0

    # A TERM (a timeout, Ctrl-C's cousin) unwinds through the finally blocks that stop the running system.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="herd-bench-") as logdir:
        if args.smoke:
            return smoke(chosen, env, logdir)
        cores = os.cpu_count()
        java_ms = java_cpu_ms()
        py_rounds = int(os.environ.get("HERD_BENCH_PY_ROUNDS", "0")) or calibrate_python(java_ms)
        env["HERD_BENCH_PY_ROUNDS"] = str(py_rounds)
        py_ms = python_cpu_ms(py_rounds)
        ceilings = {"io ceiling": args.connections / IO_WAIT_S, "cpu ceiling": cores / (java_ms / 1000)}
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        results = measure(chosen, args, env, logdir)

    report = "\n".join([
        f"Run {started}: {cores} cores, {os.uname().sysname} {os.uname().release}, {versions()};"
        f" `wrk -t1 -c{args.connections} -d{args.duration}s --latency`; after each start {args.system_warmup} s of"
        f" /hello and before each measurement {args.warmup} s of its endpoint thrown away;"
        f" {args.rounds} interleaved rounds; each cell is the median over the rounds. wrk runs on the same cores.",
        "",
        f"Ceilings: /io {args.connections} connections / {IO_WAIT_S * 1000:.0f} ms ="
        f" {ceilings['io ceiling']:,.0f} req/s (Little's law); /cpu {cores} cores / {java_ms:.3f} ms of CPU per"
        f" request = {ceilings['cpu ceiling']:,.0f} req/s (Java: SHA-256 chain of {java_rounds()} rounds;"
        f" Python: {py_rounds} rounds = {py_ms:.3f} ms, ceiling {cores / (py_ms / 1000):,.0f} req/s).",
        "",
        table(chosen, results),
        "",
        targets(results, ceilings),
        "",
    ])
    print(report)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)
    return 0


def java_rounds():
    return int(os.environ.get("HERD_DEMO_ROUNDS_PER_MS", "20000"))


def calibrate_python(java_ms):
    """Python rounds that cost what the JVM's /cpu costs: per-language calibration of the same work."""
    probe = 4600
    return max(1, round(probe * java_ms / python_cpu_ms(probe)))


def versions():
    java_version = subprocess.run([java(), "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    py = subprocess.run([SYSTEM_PYTHON, "-c", "import sys, gunicorn, uvicorn; print(sys.version.split()[0],"
                                              " gunicorn.__version__, uvicorn.__version__)"],
                        capture_output=True, text=True).stdout.split()
    return (f"{java_version}; Python {py[0]}, Gunicorn {py[1]}, Uvicorn {py[2]}" if len(py) == 3
            else java_version)


if __name__ == "__main__":
    sys.exit(main())
