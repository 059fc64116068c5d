package dev.herd.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry: every setting herd has, each declared once. Flag names follow Gunicorn's where
 * the concept is the same.
 */
public final class Settings {

    private static final Map<String, Setting<?>> BY_KEY = new LinkedHashMap<>();

    public static final Setting<List<BindAddress>> BIND = declare(
            "bind", "-b", Section.SERVER, ValueType.listOf(BindAddress.TYPE),
            List.of(new BindAddress("127.0.0.1", 8000)), Settings::nonEmpty,
            "Address to listen on, HOST:PORT, [IPV6]:PORT or unix:PATH; repeat the flag for several. Port 0"
                    + " picks a free port (the ready line shows it). The master binds every address once and"
                    + " shares the socket with all workers. Under systemd socket activation ($LISTEN_FDS) the"
                    + " master adopts the passed sockets instead: all of them without --bind; with it, the one"
                    + " bound to the same address, or fd:NAME for the socket named NAME (FileDescriptorName=).");

    public static final Setting<String> CONFIG = declare(
            "config", "-c", Section.SERVER, ValueType.STRING, "", v -> null,
            "Configuration file (TOML, keys as in this list). Without it, ./herd.toml is read when present."
                    + " A reload reads it again.");

    public static final Setting<Integer> BACKLOG = declare(
            "backlog", null, Section.SERVER, ValueType.INT, 2048, atLeast(1),
            "Length of the kernel's queue of connections waiting for a worker to accept them (capped by"
                    + " net.core.somaxconn).");

    public static final Setting<Balance> BALANCE = declare(
            "balance", null, Section.SERVER, ValueType.choice(Balance.class), Balance.SHARED, v -> null,
            "How new connections are spread over the workers. shared: every worker accepts on the one shared"
                    + " socket; whoever is free first takes the connection (no cost per connection). least-busy:"
                    + " the master accepts each connection and hands it to the worker with the fewest open"
                    + " connections and requests in flight; even spread and tail latency for keep-alive traffic,"
                    + " at a cost for each new connection. reuseport: one SO_REUSEPORT socket per worker slot,"
                    + " spread by a hash; the master keeps each slot's socket, so connections queued for a dead"
                    + " worker are not lost. Unix binds are shared under reuseport. See docs/balancing.md.");

    public static final Setting<String> BIND_MODE = declare(
            "bind-mode", null, Section.SERVER, ValueType.STRING, "0660", Settings::octalMode,
            "Permissions of unix socket files made for unix:PATH binds, in octal. 0660 lets a proxy in the"
                    + " socket's group (e.g. nginx) connect.");

    public static final Setting<String> PID = declare(
            "pid", "-p", Section.SERVER, ValueType.STRING, "", v -> null,
            "Write the master's pid to this file (atomically); removed on exit. herd ctl finds the master"
                    + " through it.");

    public static final Setting<String> CONTROL_SOCKET = declare(
            "control-socket", null, Section.SERVER, ValueType.STRING, "", v -> null,
            "Path of the master's control socket (mode 0600). The default is master-PID.sock in a private"
                    + " (0700) directory: $XDG_RUNTIME_DIR/herd, else the temp directory's herd-UID.");

    public static final Setting<Integer> WORKERS = declare(
            "workers", "-w", Section.WORKERS, ValueType.WORKER_COUNT, 1,
            v -> v == ValueType.AUTO_WORKERS ? null : atLeast(1).apply(v),
            "Number of worker processes, or auto: one per CPU of the container's limit (2 x CPUs + 1 under"
                    + " sync), the machine's CPUs without a limit. The default is $WEB_CONCURRENCY when set"
                    + " (auto too), else 1. In a container each worker's heap and processor count are its share"
                    + " of the limits (herd print-config shows them).");

    public static final Setting<WorkerClass> WORKER_CLASS = declare(
            "worker-class", "-k", Section.WORKERS, ValueType.choice(WorkerClass.class), WorkerClass.THREADS,
            v -> null,
            "Execution model: sync (one request at a time), threads (a pool of --threads platform threads),"
                    + " virtual (a virtual thread per request), async (the handler runs on the event loop).");

    public static final Setting<Integer> THREADS = declare(
            "threads", null, Section.WORKERS, ValueType.INT, 8, atLeast(1),
            "Platform threads per worker under the threads model.");

    public static final Setting<Integer> MAX_CONCURRENCY = declare(
            "max-concurrency", null, Section.WORKERS, ValueType.INT, 0, atLeast(0),
            "Most requests one worker runs at once under the virtual and async models; 0 means no limit."
                    + " Requests past the limit wait their turn.");

    public static final Setting<Integer> MAX_QUEUE = declare(
            "max-queue", null, Section.WORKERS, ValueType.INT, 0, atLeast(0),
            "Most requests one worker keeps waiting for a thread (or, under virtual and async, for a turn within"
                    + " --max-concurrency); one more is answered 503 with Retry-After at once. 0 means no limit.");

    public static final Setting<Duration> QUEUE_TIMEOUT = declare(
            "queue-timeout", null, Section.WORKERS, ValueType.SECONDS, Duration.ZERO, v -> null,
            "Longest a request waits for a thread (or a turn) before it is answered 503 with Retry-After"
                    + " instead; 0 means no limit.");

    public static final Setting<VirtualScheduler> VIRTUAL_SCHEDULER = declare(
            "virtual-scheduler", null, Section.WORKERS, ValueType.choice(VirtualScheduler.class), VirtualScheduler.POOL,
            v -> null,
            "What carries the virtual threads of the virtual model. pool: the JDK's scheduler, one carrier thread"
                    + " per core shared by every request; the request is handed from the event loop to a carrier"
                    + " and its response back. loop: the event loop that read the request carries its virtual"
                    + " thread, as gevent runs greenlets on its loop: no hand-offs (about twice the requests per"
                    + " second on small requests), but a worker's handlers use only --io-threads cores, and a"
                    + " call that blocks without parking (native code, file reads) holds the loop while it runs.");

    public static final Setting<Integer> IO_THREADS = declare(
            "io-threads", null, Section.WORKERS, ValueType.INT, 1, atLeast(1),
            "Event loop threads per worker doing socket I/O (and running the handler under async).");

    public static final Setting<String> JVM_OPTS = declare(
            "worker-jvm-opts", null, Section.WORKERS, ValueType.STRING,
            "-XX:+UseSerialGC -Xms16m -XX:+ExitOnOutOfMemoryError -Xss512k -XX:TrimNativeHeapInterval=2000",
            v -> null,
            "JVM options for each worker process, separated by spaces. The default favours small workers:"
                    + " the serial collector with a small initial heap (it grows with the live data; a large"
                    + " young generation would be touched whole under load and cost each worker tens of MiB),"
                    + " native memory the JIT freed handed back to the system every 2 s (its compiler arenas"
                    + " stay in the C library's heap otherwise, about 15 MiB per worker),"
                    + " and an out-of-memory error ends the worker so that the master replaces it. herd always"
                    + " adds --enable-native-access=ALL-UNNAMED and --sun-misc-unsafe-memory-access=allow (Netty's"
                    + " native transport, and its fast buffers).");

    public static final Setting<String> AOT_CACHE = declare(
            "aot-cache", null, Section.WORKERS, ValueType.STRING, "", v -> null,
            "Directory for the workers' JDK AOT cache (JEP 483/514); empty: none. When the cache for this"
                    + " JDK, class path and --worker-jvm-opts is missing, the master makes it once in the"
                    + " background with a short training run of the app; workers spawned after that start with it"
                    + " and boot in about half the time. Made again by itself when any of these change.");

    public static final Setting<Integer> MAX_REQUESTS = declare(
            "max-requests", null, Section.WORKERS, ValueType.INT, 0, atLeast(0),
            "Replace a worker after it served this many requests (0: never). The replacement boots before"
                    + " the old worker drains, so no request fails. Limits the damage of slow leaks.");

    public static final Setting<Integer> MAX_REQUESTS_JITTER = declare(
            "max-requests-jitter", null, Section.WORKERS, ValueType.INT, 0, atLeast(0),
            "Add a random 0..N to each worker's --max-requests so workers are not all replaced at once.");

    public static final Setting<Integer> MAX_HEAP_AFTER_GC = declare(
            "max-heap-after-gc", null, Section.WORKERS, ValueType.INT, 0, atLeast(0),
            "Replace a worker (gracefully) whose live heap after a full collection stays above this many"
                    + " MiB twice in a row (0: never).");

    public static final Setting<Duration> TIMEOUT = declare(
            "timeout", "-t", Section.TIMEOUTS, ValueType.SECONDS, Duration.ofSeconds(30), positiveDuration(),
            "Worker liveness: a worker with no heartbeat for this long is killed (its thread dump goes to the"
                    + " log first) and replaced. The heartbeat passes through the execution model, so a worker"
                    + " whose handler threads or event loop are all stuck counts as hung.");

    public static final Setting<Duration> GRACEFUL_TIMEOUT = declare(
            "graceful-timeout", null, Section.TIMEOUTS, ValueType.SECONDS, Duration.ofSeconds(30), v -> null,
            "On a graceful stop, how long in-flight requests may take to finish before workers are killed.");

    public static final Setting<Duration> BOOT_TIMEOUT = declare(
            "boot-timeout", null, Section.TIMEOUTS, ValueType.SECONDS, Duration.ofSeconds(60), positiveDuration(),
            "How long a worker may take from spawn to ready before it counts as a failed boot.");

    public static final Setting<Duration> REQUEST_TIMEOUT = declare(
            "request-timeout", null, Section.TIMEOUTS, ValueType.SECONDS, Duration.ZERO, v -> null,
            "One request's time limit to its response's header (0: none). Past it the client gets 503 and the"
                    + " handler thread is interrupted; the worker lives. A streamed response is timed to its first"
                    + " byte only; --write-timeout then guards it.");

    public static final Setting<Duration> WRITE_TIMEOUT = declare(
            "write-timeout", null, Section.TIMEOUTS, ValueType.SECONDS, Duration.ofSeconds(60), v -> null,
            "A client that takes none of its response for this long, while herd has more to send, is cut off"
                    + " (0: never). Streamed responses and downloads may last as long as the client keeps reading.");

    public static final Setting<Duration> SSE_HEARTBEAT = declare(
            "sse-heartbeat", null, Section.TIMEOUTS, ValueType.SECONDS, Duration.ofSeconds(15), v -> null,
            "An event stream the app leaves quiet this long gets a comment line, so proxies keep it open and a"
                    + " client that has gone is noticed (0: none).");

    public static final Setting<Duration> KEEP_ALIVE = declare(
            "keep-alive", null, Section.TIMEOUTS, ValueType.SECONDS, Duration.ofSeconds(5), v -> null,
            "Close a keep-alive connection idle for this long (0: no keep-alive).");

    public static final Setting<Duration> READ_TIMEOUT = declare(
            "read-timeout", null, Section.TIMEOUTS, ValueType.SECONDS, Duration.ofSeconds(30), positiveDuration(),
            "A client that started a request must send all of it within this time, or get 408.");

    public static final Setting<Integer> LIMIT_REQUEST_LINE = declare(
            "limit-request-line", null, Section.HTTP, ValueType.INT, 8190, atLeast(16),
            "Longest request line in bytes (method, target, version); longer gets 414.");

    public static final Setting<Integer> LIMIT_REQUEST_FIELDS = declare(
            "limit-request-fields", null, Section.HTTP, ValueType.INT, 100, atLeast(1),
            "Most header fields in a request; more gets 431.");

    public static final Setting<Integer> LIMIT_REQUEST_FIELD_SIZE = declare(
            "limit-request-field-size", null, Section.HTTP, ValueType.INT, 8190, atLeast(16),
            "Largest header field in bytes (name and value); larger gets 431.");

    public static final Setting<Integer> LIMIT_REQUEST_BODY = declare(
            "limit-request-body", null, Section.HTTP, ValueType.INT, 10 * 1024 * 1024, atLeast(0),
            "Largest request body in bytes, read whole or streamed; larger gets 413 (before it is sent, when"
                    + " Content-Length announces it) and the connection closes.");

    public static final Setting<Integer> BODY_BUFFER = declare(
            "body-buffer", null, Section.HTTP, ValueType.INT, 1024 * 1024, atLeast(0),
            "Request bodies up to this many bytes are read whole before the app runs (Request.body()). Larger"
                    + " ones, chunked ones that outgrow it, and ones sent after 100-continue reach the app while"
                    + " they arrive, as a stream it reads at its own pace (Request.bodyStream(), bodyPublisher()).");

    public static final Setting<List<String>> STATIC = declare(
            "static", null, Section.HTTP, ValueType.listOf(ValueType.STRING), List.of(), Settings::staticMounts,
            "Serve a folder without app code: PREFIX=DIR, e.g. /assets=./public; repeat for several. Files go out"
                    + " with sendfile, Last-Modified, a strong ETag, ranges and conditional requests; no path"
                    + " leaves the folder (.., encoded slashes, symbolic links pointing out: 404), dot-files are"
                    + " hidden unless --static-dotfiles allow, folders are never listed.");

    public static final Setting<String> STATIC_INDEX = declare(
            "static-index", null, Section.HTTP, ValueType.STRING, "", v -> v.contains("/")
                    ? "must be a file name, got '" + v + "'" : null,
            "File served for a --static folder's path (e.g. index.html); empty: folders are 404.");

    public static final Setting<StaticDotfiles> STATIC_DOTFILES = declare(
            "static-dotfiles", null, Section.HTTP, ValueType.choice(StaticDotfiles.class), StaticDotfiles.DENY,
            v -> null,
            "Whether --static serves files and folders whose name starts with a dot (.env, .git): deny (404) or"
                    + " allow.");

    public static final Setting<Duration> WS_PING_INTERVAL = declare(
            "ws-ping-interval", null, Section.HTTP, ValueType.SECONDS, Duration.ofSeconds(20), v -> null,
            "Each open WebSocket gets a ping this often, so proxies keep it open and a client that has gone"
                    + " is noticed (0: none). Clients answer pings by themselves.");

    public static final Setting<Duration> WS_IDLE_TIMEOUT = declare(
            "ws-idle-timeout", null, Section.HTTP, ValueType.SECONDS, Duration.ofSeconds(60), v -> null,
            "A WebSocket whose client sent nothing for this long, not even a pong, is closed with 1001"
                    + " (0: never).");

    public static final Setting<Integer> WS_MAX_MESSAGE = declare(
            "ws-max-message", null, Section.HTTP, ValueType.INT, 1024 * 1024, atLeast(125),
            "Largest WebSocket message a client may send, in bytes, after decompression and with its"
                    + " fragments joined; a larger one closes the connection with 1009.");

    public static final Setting<WsCompression> WS_COMPRESSION = declare(
            "ws-compression", null, Section.HTTP, ValueType.choice(WsCompression.class), WsCompression.DEFLATE,
            v -> null,
            "deflate: WebSockets use permessage-deflate (RFC 7692) when the client offers it; off: never.");

    public static final Setting<List<String>> WS_ORIGINS = declare(
            "ws-origins", null, Section.HTTP, ValueType.listOf(ValueType.STRING), List.of("same"),
            Settings::origins,
            "Origins whose pages may open a WebSocket: 'same' (the Origin's host and port are the request's"
                    + " Host), exact origins such as https://app.example.com, or '*'. Requests without an"
                    + " Origin (non-browser clients) are let through; others get 403, against cross-site"
                    + " WebSocket hijacking.");

    public static final Setting<List<String>> FORWARDED_ALLOW_IPS = declare(
            "forwarded-allow-ips", null, Section.HTTP, ValueType.listOf(ValueType.STRING),
            List.of("127.0.0.1", "::1", "unix"), Settings::addressesOrStar,
            "Peers whose X-Forwarded-For, X-Forwarded-Proto and Forwarded headers are believed: IP"
                    + " addresses, networks (10.89.0.0/16: a proxy in a container network), 'unix' for unix socket"
                    + " peers, or '*' for all. Others' headers are ignored.");

    public static final Setting<String> APP_JAR = declare(
            "app-jar", null, Section.APP, ValueType.STRING, "", v -> null,
            "The app's jar (or classes directory), added to each worker's class path.");

    public static final Setting<String> APP = declarePositional(
            "app", Section.APP, ValueType.STRING, "",
            "The app: a class name (a public class with a no-argument constructor implementing"
                    + " dev.herd.api.Handler and/or dev.herd.api.AsyncHandler), or a servlet app: a .war file or"
                    + " an exploded WAR folder, deployed on an embedded Jetty in each worker. Without it herd"
                    + " serves its built-in demo app.");

    public static final Setting<String> SERVLET = declare(
            "servlet", null, Section.APP, ValueType.STRING, "", v -> v.isEmpty()
                    || v.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*") ? null
                    : "must be a class name, got '" + v + "'",
            "A servlet class (jakarta.servlet.Servlet) from --app-jar to serve without a WAR, mapped to /* on"
                    + " an embedded Jetty in each worker.");

    public static final Setting<String> MAIN = declare(
            "main", null, Section.APP, ValueType.STRING, "", v -> v.isEmpty()
                    || v.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*") ? null
                    : "must be a class name, got '" + v + "'",
            "An app written against the JDK's com.sun.net.httpserver: the class in --app-jar whose main"
                    + " each worker runs. The HttpServer it creates is herd's: its address is replaced by herd's"
                    + " listeners, its contexts are served in the --worker-class model (sync, threads or"
                    + " virtual).");

    public static final Setting<String> CONTEXT_PATH = declare(
            "context-path", null, Section.APP, ValueType.STRING, "/", v -> v.startsWith("/") && !v.contains(" ")
                    ? null : "must start with /, got '" + v + "'",
            "Where a servlet app is mounted: its context path (/ for the root).");

    public static final Setting<Boolean> RELOAD = declare(
            "reload", null, Section.APP, ValueType.BOOL, false, v -> null,
            "For development: watch the app (its WAR or exploded folder, --app-jar's jar or classes folder)"
                    + " and reload the workers when it changes, once the changes settle for half a second. A"
                    + " build that cannot load or boot leaves the running generation serving, and the log says"
                    + " why.");

    public static final Setting<String> STATE = declare(
            "state", null, Section.STATE, ValueType.STRING, "local", Settings::stateBackend,
            "Where SharedState (and sessions) live. local: in the master, reached by the workers over a private"
                    + " unix socket; survives worker crashes and reloads (and a master restart with --state-file)."
                    + " redis://[:PASSWORD@]HOST:PORT[/DB]: a Redis server, for several hosts. See docs/state.md.");

    public static final Setting<String> STATE_FILE = declare(
            "state-file", null, Section.STATE, ValueType.STRING, "", Settings::stateFile,
            "local state only: keep it in this file (an append-only log, compacted into a snapshot as it"
                    + " grows), so that it survives a master restart. Empty: in memory only.");

    public static final Setting<StateFsync> STATE_FSYNC = declare(
            "state-fsync", null, Section.STATE, ValueType.choice(StateFsync.class), StateFsync.EVERYSEC, v -> null,
            "When --state-file is forced to disk. Every change is written to the file before its caller is"
                    + " answered, so a crash of herd loses nothing; a crash of the machine loses what was not"
                    + " forced yet. always: before answering (nothing lost, slowest); everysec: once a second (up"
                    + " to about a second lost); no: when the kernel writes it back (up to tens of seconds).");

    public static final Setting<Long> STATE_MAX_BYTES = declare(
            "state-max-bytes", null, Section.STATE, ValueType.BYTES, 64L << 20,
            v -> v >= 4L << 20 ? null : "must be at least 4m, got " + v,
            "local state only: most memory the keys and values may take (each key counts its bytes, its"
                    + " value's and 96 more); past it the least recently used keys are evicted.");

    public static final Setting<Duration> STATE_TIMEOUT = declare(
            "state-timeout", null, Section.STATE, ValueType.SECONDS, Duration.ofSeconds(2), positiveDuration(),
            "How long one SharedState call waits for the store before it fails with StateUnavailableException"
                    + " (and the request, if the app lets it escape, gets a 503).");

    public static final Setting<Boolean> METRICS = declare(
            "metrics", null, Section.LOGGING, ValueType.BOOL, true, v -> null,
            "Record each request's duration, body sizes and queue time in the workers' metrics (/metrics, herd ctl"
                    + " top, the live page). --no-metrics saves a few counter increments per request; the HTTP"
                    + " series and the rates are then missing, the rest (processes, JVM, restarts) stays.");

    public static final Setting<String> ADMIN_BIND = declare(
            "admin-bind", null, Section.LOGGING, ValueType.STRING, "", Settings::adminBind,
            "Serve the admin listener on HOST:PORT: /metrics (Prometheus, OpenMetrics), /health/live,"
                    + " /health/ready, /health/startup and /status, from the master itself, so it answers while"
                    + " every worker is busy or restarting. Off when empty. An address other than loopback needs"
                    + " --admin-token. See docs/metrics.md.");

    public static final Setting<Boolean> ADMIN_OPEN_HEALTH = declare(
            "admin-open-health", null, Section.LOGGING, ValueType.BOOL, false, v -> null,
            "Answer /health/live, /health/ready and /health/startup without --admin-token: an orchestrator's"
                    + " probes (Kubernetes' httpGet) cannot send a secret. They tell only whether herd is live, ready"
                    + " and started; every other path still needs the token.");

    public static final Setting<String> ADMIN_TOKEN = declare(
            "admin-token", null, Section.LOGGING, ValueType.STRING, "", Settings::adminToken,
            "Bearer token the admin listener asks of every request (Authorization: Bearer TOKEN); a request"
                    + " without it gets 401. Prefer $HERD_ADMIN_TOKEN to the flag, which other users can see in ps.");

    public static final Setting<String> LOG_LEVEL = declare(
            "log-level", null, Section.LOGGING, ValueType.STRING, "info",
            v -> List.of("error", "warn", "info", "debug", "trace").contains(v) ? null
                    : "must be one of error|warn|info|debug|trace, got '" + v + "'",
            "Log level of the master and the workers.");

    public static final Setting<String> ACCESS_LOG = declare(
            "access-log", null, Section.LOGGING, ValueType.STRING, "", Settings::logDestination,
            "Access log file, or '-' for standard output; empty for none. USR1 reopens it (for logrotate).");

    public static final Setting<String> ACCESS_LOG_FORMAT = declare(
            "access-log-format", null, Section.LOGGING, ValueType.STRING,
            "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"", v -> null,
            "Access log line, in Gunicorn's syntax (docs/access-log.md lists the atoms).");

    public static final Setting<String> ERROR_LOG = declare(
            "error-log", null, Section.LOGGING, ValueType.STRING, "-", Settings::logDestination,
            "Where herd's own log goes: a file, or '-' for standard error. USR1 reopens it.");

    private Settings() {
    }

    /** Every setting, in declaration order. */
    public static List<Setting<?>> all() {
        return List.copyOf(BY_KEY.values());
    }

    public static Setting<?> byKey(String key) {
        return BY_KEY.get(key);
    }

    private static <T> Setting<T> declare(String key, String shortFlag, Section section, ValueType<T> type,
                                          T fallback, Function<T, String> check, String help) {
        Setting<T> setting = new Setting<>(key, shortFlag, section, type, fallback, check, help, false);
        BY_KEY.put(key, setting);
        return setting;
    }

    private static <T> Setting<T> declarePositional(String key, Section section, ValueType<T> type, T fallback,
                                                    String help) {
        Setting<T> setting = new Setting<>(key, null, section, type, fallback, v -> null, help, true);
        BY_KEY.put(key, setting);
        return setting;
    }

    private static String staticMounts(List<String> values) {
        for (String value : values) {
            try {
                dev.herd.http.files.StaticMount.parse(value);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private static String stateBackend(String value) {
        if (value.equals("local")) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            if ("redis".equals(uri.getScheme()) && uri.getHost() != null) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            // the message below says what is expected
        }
        // The value may hold a password: the message shows it masked.
        return "must be 'local' or redis://[:PASSWORD@]HOST:PORT[/DB], got '" + value.replaceFirst("//[^@/]*@", "//***@")
                + "'";
    }

    private static String stateFile(String value) {
        if (value.isBlank()) {
            return null;
        }
        java.nio.file.Path parent = java.nio.file.Path.of(value).toAbsolutePath().getParent();
        if (parent == null || !java.nio.file.Files.isDirectory(parent)) {
            return "the directory of '" + value + "' does not exist";
        }
        return java.nio.file.Files.isDirectory(java.nio.file.Path.of(value)) ? "'" + value + "' is a directory" : null;
    }

    private static String adminBind(String value) {
        if (value.isBlank()) {
            return null;
        }
        try {
            BindAddress address = BindAddress.parse(value);
            return address.isUnix() ? "must be HOST:PORT (the admin listener is TCP), got '" + value + "'" : null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String adminToken(String value) {
        return value.isEmpty() || value.matches("[\\x21-\\x7e]{16,}") ? null
                : "must be at least 16 printable characters without spaces";
    }

    private static String octalMode(String mode) {
        return mode.matches("0?[0-7]{3}") ? null : "must be an octal file mode such as 0660, got '" + mode + "'";
    }

    private static String origins(List<String> origins) {
        for (String origin : origins) {
            if (!origin.equals("same") && !origin.equals("*")
                    && !origin.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s]+")) {
                return "'" + origin + "' is not 'same', '*' or an origin such as https://app.example.com";
            }
        }
        return null;
    }

    private static String addressesOrStar(List<String> values) {
        for (String value : values) {
            if (value.equals("*") || value.equals("unix")) {
                continue;
            }
            if (value.contains("/")) {
                if (dev.herd.http.AddressRange.parse(value) == null) {
                    return "expected a network such as 10.0.0.0/8, got '" + value + "'";
                }
                continue;
            }
            // The JDK also takes short IPv4 forms such as 1.2.3; the workers' parser (and people) do not.
            boolean shaped = value.contains(":") || value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            try {
                java.net.InetAddress.ofLiteral(value);
            } catch (IllegalArgumentException e) {
                shaped = false;
            }
            if (!shaped) {
                return "expected IP addresses or networks (10.0.0.0/8), 'unix' or '*', got '" + value + "'";
            }
        }
        return null;
    }

    /** A log file's directory must exist: finding out in every worker at boot is too late. */
    private static String logDestination(String value) {
        if (value.isBlank() || value.equals("-")) {
            return null;
        }
        java.nio.file.Path parent = java.nio.file.Path.of(value).toAbsolutePath().getParent();
        return parent != null && java.nio.file.Files.isDirectory(parent) ? null
                : "the directory of '" + value + "' does not exist";
    }

    private static Function<Integer, String> atLeast(int min) {
        return v -> v >= min ? null : "must be at least " + min + ", got " + v;
    }

    private static Function<Duration, String> positiveDuration() {
        return v -> v.isZero() ? "must be more than 0 seconds" : null;
    }

    private static String nonEmpty(List<?> values) {
        return values.isEmpty() ? "needs at least one address" : null;
    }
}
