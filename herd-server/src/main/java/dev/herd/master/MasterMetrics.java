package dev.herd.master;

import dev.herd.config.BindAddress;
import dev.herd.metrics.Catalog;
import dev.herd.metrics.Exposition;
import dev.herd.metrics.ListenQueues;
import dev.herd.metrics.MetricsReport;
import dev.herd.metrics.MetricsStore;
import dev.herd.metrics.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the master's observations go: {@code /metrics} (its workers' reports merged by
 * {@link MetricsStore}, its own counts of restarts by cause, boot and reload durations, and what
 * it reads at scrape time: workers by state, heartbeat ages, each worker's memory from /proc, the
 * kernel's accept queues), the live picture ({@link LiveView}) and JFR ({@link MasterEvents}).
 * The master tells it what happens to its workers once, here. Confined to the master's thread.
 */
final class MasterMetrics {

    private static final Logger log = LoggerFactory.getLogger(MasterMetrics.class);

    private final MetricsStore store = new MetricsStore();
    private final LiveView live = new LiveView();
    /** Contradictions already logged: a worker repeats them every second. */
    private final java.util.Set<String> told = new java.util.HashSet<>();

    /**
     * A worker's report. One that does not decode is dropped whole and logged; a sample that
     * contradicts the others under its name is left out, and logged once.
     */
    void report(WorkerHandle worker, byte[] bytes) {
        List<dev.herd.metrics.Sample> samples;
        try {
            samples = MetricsReport.decode(bytes);
        } catch (MetricsReport.InvalidReportException e) {
            store.count(Catalog.REPORTS_DROPPED, List.of(), 1);
            log.warn("dropping a metrics report from {}: {}", worker, e.getMessage());
            return;
        }
        live.report(worker.pid(), samples);
        for (String problem : store.add(worker.pid(), worker.index(), samples)) {
            if (told.add(problem)) {
                log.warn("leaving out of the metrics what {} reports: {}", worker, problem);
            }
        }
    }

    void spawned(WorkerHandle worker) {
        MasterEvents.spawned(worker);
        live.event("spawned", worker, null);
    }

    void booted(WorkerHandle worker, long nanos) {
        store.observe(Catalog.BOOT_DURATION, List.of(), Catalog.BOOT_SECONDS, nanos / 1e9);
        MasterEvents.ready(worker, nanos);
        live.event("ready", worker, "boot " + nanos / 1_000_000 + " ms");
    }

    /** The worker exited; {@code cause} is why it is replaced (a restart), or null when it is not. */
    void exited(WorkerHandle worker, int status, String cause) {
        store.gone(worker.pid());
        if (cause != null) {
            store.count(Catalog.RESTARTS, List.of("cause", cause), 1);
        }
        MasterEvents.exited(worker, status, cause);
        live.event("exited", worker, cause == null ? "" : cause);
        live.gone(worker.pid());
    }

    /** The master gave up on the worker ({@code reason}) and kills it. */
    void killed(WorkerHandle worker, String reason) {
        MasterEvents.killed(worker, reason);
        live.event("killed", worker, reason);
    }

    void reloaded(int generation, long nanos) {
        store.observe(Catalog.RELOAD_DURATION, List.of(), Catalog.BOOT_SECONDS, nanos / 1e9);
        MasterEvents.reloaded(generation, nanos);
        live.event("reload", null, "generation " + generation + " serves after " + nanos / 1_000_000 + " ms");
    }

    /** The live picture (herd ctl top, the dashboard) as JSON. */
    String liveJson(StatusReport.MasterView master, List<WorkerHandle> workers, long nowNanos) {
        try {
            return JSON.writeValueAsString(live.snapshot(master, workers, nowNanos));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serializes", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The exposition now, in Prometheus text or OpenMetrics. */
    String render(boolean openMetrics, List<WorkerHandle> workers, List<BindAddress> listeners, int backlog,
                  long nowNanos) {
        List<Sample> gauges = new ArrayList<>();
        Map<WorkerHandle.State, Integer> byState = new java.util.EnumMap<>(WorkerHandle.State.class);
        for (WorkerHandle.State state : WorkerHandle.State.values()) {
            byState.put(state, 0);
        }
        Map<Integer, WorkerHandle> newestBySlot = new HashMap<>();
        for (WorkerHandle worker : workers) {
            byState.merge(worker.state(), 1, Integer::sum);
            newestBySlot.merge(worker.index(), worker, (a, b) -> a.generation() >= b.generation() ? a : b);
            List<String> slot = List.of("worker", Integer.toString(worker.index()));
            Map<String, Long> memory = memoryKiB(worker.pid());
            gauges.add(Sample.gauge(Catalog.WORKER_RSS, false, slot, memory.getOrDefault("VmRSS", 0L) * 1024.0));
            gauges.add(Sample.gauge(Catalog.WORKER_PSS, false, slot, memory.getOrDefault("Pss", 0L) * 1024.0));
            gauges.add(Sample.gauge(Catalog.WORKER_OS_THREADS, false, slot, memory.getOrDefault("Threads", 0L)));
        }
        byState.forEach((state, count) -> gauges.add(Sample.gauge(Catalog.WORKERS, false,
                List.of("state", state.name().toLowerCase(Locale.ROOT)), count)));
        newestBySlot.forEach((slot, worker) -> {
            if (worker.lastHeartbeatNanos() != 0) {
                gauges.add(Sample.gauge(Catalog.HEARTBEAT_AGE, false, List.of("worker", Integer.toString(slot)),
                        (nowNanos - worker.lastHeartbeatNanos()) / 1e9));
            }
        });
        for (BindAddress address : listeners) {
            if (!address.isUnix()) {
                ListenQueues.Depth depth = ListenQueues.of(address.port(), backlog);
                List<String> labels = List.of("listener", address.toString());
                gauges.add(Sample.gauge(Catalog.LISTEN_QUEUE, false, labels, depth.waiting()));
                gauges.add(Sample.gauge(Catalog.LISTEN_QUEUE_LIMIT, false, labels, depth.limit()));
            }
        }
        return Exposition.render(store.snapshot(gauges), openMetrics);
    }

    /** VmRSS and Threads from /proc/PID/status, Pss from smaps_rollup; what cannot be read is left out. */
    static Map<String, Long> memoryKiB(long pid) {
        Map<String, Long> values = new HashMap<>();
        Path proc = Path.of("/proc", Long.toString(pid));
        for (String file : List.of("status", "smaps_rollup")) {
            try {
                for (String line : Files.readAllLines(proc.resolve(file))) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String key = line.substring(0, colon);
                        if (key.equals("VmRSS") || key.equals("Threads") || key.equals("Pss")) {
                            values.put(key, Long.parseLong(line.substring(colon + 1).replaceAll("\\D", "")));
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // Gone meanwhile, or not Linux: the gauge reads 0 until the next scrape.
            }
        }
        return values;
    }
}
