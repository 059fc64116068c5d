package dev.herd.metrics;

import java.util.Map;

/**
 * The names of herd's metrics and what each means. HTTP and JVM names are the OpenTelemetry
 * semantic conventions' in their Prometheus form (dots to underscores, the unit appended),
 * except the two counts of things now (OpenTelemetry's {@code jvm.thread.count} and
 * {@code jvm.class.count}), which promtool refuses with a {@code _count} suffix outside a
 * histogram: they are {@code jvm_threads_live} and {@code jvm_classes_loaded}. herd's own start
 * with {@code herd_}. docs/metrics.md lists them all.
 */
public final class Catalog {

    // HTTP, summed over the workers.
    public static final String REQUEST_DURATION = "http_server_request_duration_seconds";
    public static final String ACTIVE_REQUESTS = "http_server_active_requests";
    public static final String REQUEST_BODY_SIZE = "http_server_request_body_size_bytes";
    public static final String RESPONSE_BODY_SIZE = "http_server_response_body_size_bytes";
    public static final String OPEN_CONNECTIONS = "http_server_open_connections";
    public static final String QUEUE_DURATION = "herd_request_queue_duration_seconds";
    public static final String REJECTED = "herd_requests_rejected";

    // Each worker's JVM, by slot.
    public static final String JVM_CPU_TIME = "jvm_cpu_time_seconds";
    public static final String JVM_MEMORY_USED = "jvm_memory_used_bytes";
    public static final String JVM_MEMORY_COMMITTED = "jvm_memory_committed_bytes";
    public static final String JVM_MEMORY_AFTER_GC = "jvm_memory_used_after_last_gc_bytes";
    public static final String JVM_GC_DURATION = "jvm_gc_duration_seconds";
    public static final String JVM_THREAD_COUNT = "jvm_threads_live";
    public static final String JVM_CLASS_COUNT = "jvm_classes_loaded";
    public static final String WORKER_THREADS = "herd_worker_threads";
    public static final String WORKER_THREADS_BUSY = "herd_worker_threads_busy";

    // The master's own.
    public static final String WORKERS = "herd_workers";
    public static final String RESTARTS = "herd_worker_restarts";
    public static final String BOOT_DURATION = "herd_worker_boot_duration_seconds";
    public static final String RELOAD_DURATION = "herd_reload_duration_seconds";
    public static final String LISTEN_QUEUE = "herd_listen_queue_connections";
    public static final String LISTEN_QUEUE_LIMIT = "herd_listen_queue_limit";
    public static final String HEARTBEAT_AGE = "herd_worker_heartbeat_age_seconds";
    public static final String WORKER_RSS = "herd_worker_resident_memory_bytes";
    public static final String WORKER_PSS = "herd_worker_proportional_memory_bytes";
    public static final String WORKER_OS_THREADS = "herd_worker_os_threads";
    public static final String REPORTS_DROPPED = "herd_metrics_reports_dropped";

    /** Boot takes seconds (a JVM and the app), more with a big app or a cold cache. */
    public static final double[] BOOT_SECONDS = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128};

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(REQUEST_DURATION, "Duration of HTTP server requests, from the complete request head to the"
                    + " response written."),
            Map.entry(ACTIVE_REQUESTS, "Number of HTTP requests being handled now, over all workers."),
            Map.entry(REQUEST_BODY_SIZE, "Size of HTTP request bodies."),
            Map.entry(RESPONSE_BODY_SIZE, "Size of HTTP response bodies."),
            Map.entry(OPEN_CONNECTIONS, "Client connections open now, over all workers."),
            Map.entry(QUEUE_DURATION, "Time a request waited between its head arriving and the app starting it"
                    + " (for a thread, or under async for a turn within --max-concurrency)."),
            Map.entry(REJECTED, "Requests answered 503 without running, by reason: queue_full (--max-queue),"
                    + " queue_timeout (--queue-timeout)."),
            Map.entry(JVM_CPU_TIME, "CPU time used by the worker's process."),
            Map.entry(JVM_MEMORY_USED, "Memory used, by pool."),
            Map.entry(JVM_MEMORY_COMMITTED, "Memory committed, by pool."),
            Map.entry(JVM_MEMORY_AFTER_GC, "Memory used right after the last garbage collection, by pool."),
            Map.entry(JVM_GC_DURATION, "Duration of garbage collection pauses and cycles."),
            Map.entry(JVM_THREAD_COUNT, "Live platform threads."),
            Map.entry(JVM_CLASS_COUNT, "Classes loaded now."),
            Map.entry(WORKER_THREADS, "A worker's threads by what they do: event_loop, handler (the threads or sync"
                    + " model's pool), virtual_carrier (carriers of virtual threads), virtual (virtual threads mounted"
                    + " now), other."),
            Map.entry(WORKER_THREADS_BUSY, "How many of a worker's threads are busy, by kind: event_loop (CPU time"
                    + " over the last second, in loops), handler (serving a request), virtual_carrier (carrying a"
                    + " virtual thread)."),
            Map.entry(WORKERS, "Worker processes by state."),
            Map.entry(RESTARTS, "Workers replaced, by cause: exit, crash, signal, timeout (heartbeat or boot), max_requests,"
                    + " max_heap, reload, scale."),
            Map.entry(BOOT_DURATION, "Time from a worker's spawn to its ready."),
            Map.entry(RELOAD_DURATION, "Time from a reload's start to the new generation serving."),
            Map.entry(LISTEN_QUEUE, "Connections waiting in a listening socket's accept queue, read from the kernel."),
            Map.entry(LISTEN_QUEUE_LIMIT, "The accept queue's length limit: --backlog capped by net.core.somaxconn, per"
                    + " listening socket on the port."),
            Map.entry(HEARTBEAT_AGE, "Seconds since the worker's last heartbeat."),
            Map.entry(WORKER_RSS, "Resident memory of the worker's process."),
            Map.entry(WORKER_PSS, "Proportional set size of the worker's process: its share of memory shared with"
                    + " others."),
            Map.entry(WORKER_OS_THREADS, "Threads of the worker's process, as the kernel counts them."),
            Map.entry(REPORTS_DROPPED, "Metrics reports from workers that the master refused as malformed."));

    private Catalog() {
    }

    /** What a metric means, or null for a name herd does not know (an app's, without help). */
    public static String help(String name) {
        return HELP.get(name);
    }
}
