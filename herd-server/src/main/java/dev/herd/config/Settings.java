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
            "Address to listen on, HOST:PORT or [IPV6]:PORT; repeat the flag for several. Port 0 picks a free"
                    + " port (the ready line shows it). The master binds every address once and shares the"
                    + " socket with all workers.");

    public static final Setting<Integer> WORKERS = declare(
            "workers", "-w", Section.WORKERS, ValueType.INT, 1, atLeast(1),
            "Number of worker processes. The default is $WEB_CONCURRENCY when set, else 1.");

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

    public static final Setting<Integer> IO_THREADS = declare(
            "io-threads", null, Section.WORKERS, ValueType.INT, 1, atLeast(1),
            "Event loop threads per worker doing socket I/O (and running the handler under async).");

    public static final Setting<String> JVM_OPTS = declare(
            "worker-jvm-opts", null, Section.WORKERS, ValueType.STRING,
            "-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k", v -> null,
            "JVM options for each worker process, separated by spaces. The default favours small workers:"
                    + " the serial collector, and an out-of-memory error ends the worker so that the master"
                    + " replaces it.");

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

    public static final Setting<String> APP_JAR = declare(
            "app-jar", null, Section.APP, ValueType.STRING, "", v -> null,
            "The app's jar (or classes directory), added to each worker's class path.");

    public static final Setting<String> APP = declarePositional(
            "app", Section.APP, ValueType.STRING, "",
            "The app's class name: a public class with a no-argument constructor implementing"
                    + " dev.herd.api.Handler and/or dev.herd.api.AsyncHandler. Without it herd serves its"
                    + " built-in demo app.");

    public static final Setting<String> LOG_LEVEL = declare(
            "log-level", null, Section.LOGGING, ValueType.STRING, "info",
            v -> List.of("error", "warn", "info", "debug", "trace").contains(v) ? null
                    : "must be one of error|warn|info|debug|trace, got '" + v + "'",
            "Log level of the master and the workers.");

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
