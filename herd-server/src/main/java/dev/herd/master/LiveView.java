package dev.herd.master;

import dev.herd.metrics.Catalog;
import dev.herd.metrics.Histogram;
import dev.herd.metrics.Sample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live picture behind {@code herd ctl top} and the admin dashboard: for each worker, what
 * its reports said second by second (requests, latency and queue-time buckets, CPU, threads by
 * kind and how many are busy), kept for the last two minutes, and the master's recent events.
 * Rates and percentiles are worked out when asked. Confined to the master's thread.
 */
final class LiveView {

    /** How much history is kept for the charts, in reports (one a second). */
    static final int HISTORY = 120;
    /** Rates and percentiles in the table are over this many reports. */
    private static final int WINDOW = 5;
    private static final int EVENTS = 50;
    private static final List<String> KINDS = List.of("event_loop", "handler", "virtual_carrier", "virtual", "other");

    /** One report of one worker, reduced to what the picture needs. */
    private record Point(long atMillis, long requests, long[] durations, long[] queue, double cpuSeconds) {
    }

    private static final class Worker {
        final Deque<Point> points = new ArrayDeque<>();
        final Map<String, Double> threads = new HashMap<>();
        final Map<String, Double> busy = new HashMap<>();
    }

    private final Map<Long, Worker> workers = new HashMap<>();
    private final Deque<Map<String, Object>> events = new ArrayDeque<>();
    private final Map<Integer, String> lastRestart = new HashMap<>();
    private long eventSeq;

    void report(long pid, List<Sample> samples) {
        Worker worker = workers.computeIfAbsent(pid, p -> new Worker());
        long requests = 0;
        long[] durations = new long[Histogram.DURATION_SECONDS.length + 1];
        long[] queue = new long[Histogram.QUEUE_SECONDS.length + 1];
        double cpu = 0;
        for (Sample sample : samples) {
            switch (sample.name()) {
                case Catalog.REQUEST_DURATION -> {
                    requests += sample.count();
                    add(durations, sample.counts());
                }
                case Catalog.QUEUE_DURATION -> add(queue, sample.counts());
                case Catalog.JVM_CPU_TIME -> cpu += sample.value();
                case Catalog.WORKER_THREADS -> worker.threads.put(label(sample, "kind"), sample.value());
                case Catalog.WORKER_THREADS_BUSY -> worker.busy.put(label(sample, "kind"), sample.value());
                default -> { }
            }
        }
        worker.points.addLast(new Point(System.currentTimeMillis(), requests, durations, queue, cpu));
        while (worker.points.size() > HISTORY) {
            worker.points.removeFirst();
        }
    }

    void gone(long pid) {
        workers.remove(pid);
    }

    /** Something happened to a worker (spawned, ready, exited, killed) or to the server (reload). */
    void event(String kind, WorkerHandle worker, String detail) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("seq", ++eventSeq);
        event.put("time_ms", System.currentTimeMillis());
        event.put("kind", kind);
        event.put("slot", worker == null ? null : worker.index());
        event.put("pid", worker == null ? null : worker.pid());
        event.put("generation", worker == null ? null : worker.generation());
        event.put("detail", detail);
        events.addLast(event);
        while (events.size() > EVENTS) {
            events.removeFirst();
        }
        if (kind.equals("exited") && worker != null && detail != null && !detail.isEmpty()) {
            lastRestart.put(worker.index(), detail);
        }
    }

    /** The picture now, as plain maps and lists for JSON. */
    Map<String, Object> snapshot(StatusReport.MasterView master, List<WorkerHandle> handles, long nowNanos) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("time_ms", System.currentTimeMillis());
        ProcessStats self = ProcessStats.of(master.pid());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", master.pid());
        m.put("state", master.state());
        m.put("generation", master.generation());
        m.put("workers", master.targetWorkers());
        m.put("listen", master.listen());
        m.put("uptime_s", master.uptimeNanos() / 1e9);
        m.put("rss_bytes", self.rssKiB() * 1024);
        m.put("threads", self.threads());
        root.put("master", m);
        List<Map<String, Object>> list = new ArrayList<>();
        for (WorkerHandle handle : handles) {
            list.add(worker(handle, nowNanos));
        }
        root.put("workers", list);
        root.put("events", List.copyOf(events));
        return root;
    }

    private Map<String, Object> worker(WorkerHandle handle, long nowNanos) {
        Worker live = workers.getOrDefault(handle.pid(), new Worker());
        List<Point> points = new ArrayList<>(live.points);
        List<Point> recent = points.subList(Math.max(0, points.size() - WINDOW), points.size());
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("slot", handle.index());
        w.put("pid", handle.pid());
        w.put("generation", handle.generation());
        w.put("state", handle.state().name().toLowerCase(Locale.ROOT));
        w.put("model", handle.config().workerClass().name().toLowerCase(Locale.ROOT));
        w.put("uptime_s", (nowNanos - handle.spawnedNanos()) / 1e9);
        w.put("requests", handle.requests());
        w.put("in_flight", handle.inFlight());
        w.put("connections", handle.connections());
        Rates rates = rates(recent);
        w.put("rps", rates.rps);
        w.put("p50_ms", rates.p50Millis);
        w.put("p99_ms", rates.p99Millis);
        w.put("queue_p99_ms", rates.queueP99Millis);
        w.put("cpu_pct", rates.cpuPercent);
        Map<String, Long> memory = MasterMetrics.memoryKiB(handle.pid());
        w.put("rss_bytes", memory.getOrDefault("VmRSS", 0L) * 1024);
        w.put("pss_bytes", memory.getOrDefault("Pss", 0L) * 1024);
        Map<String, Object> threads = new LinkedHashMap<>();
        for (String kind : KINDS) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("count", live.threads.getOrDefault(kind, 0.0).intValue());
            t.put("busy", live.busy.getOrDefault(kind, kind.equals("virtual") ? live.threads.getOrDefault(kind, 0.0)
                    : 0.0));
            threads.put(kind, t);
        }
        w.put("threads", threads);
        w.put("heartbeat_age_s", handle.lastHeartbeatNanos() == 0 ? null
                : (nowNanos - handle.lastHeartbeatNanos()) / 1e9);
        w.put("last_restart", lastRestart.get(handle.index()));
        List<Map<String, Object>> history = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Rates one = rates(points.subList(Math.max(0, i), i + 1));
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("t", points.get(i).atMillis());
            h.put("rps", one.rps);
            h.put("p50_ms", one.p50Millis);
            h.put("p99_ms", one.p99Millis);
            h.put("queue_p99_ms", one.queueP99Millis);
            h.put("cpu_pct", one.cpuPercent);
            history.add(h);
        }
        w.put("history", history);
        return w;
    }

    private record Rates(double rps, Double p50Millis, Double p99Millis, Double queueP99Millis, double cpuPercent) {
    }

    /** Over reports that came a second apart: per second, and percentiles of what they hold together. */
    private static Rates rates(List<Point> points) {
        if (points.isEmpty()) {
            return new Rates(0, null, null, null, 0);
        }
        long requests = 0;
        double cpu = 0;
        long[] durations = new long[Histogram.DURATION_SECONDS.length + 1];
        long[] queue = new long[Histogram.QUEUE_SECONDS.length + 1];
        for (Point point : points) {
            requests += point.requests();
            cpu += point.cpuSeconds();
            add(durations, point.durations());
            add(queue, point.queue());
        }
        double seconds = points.size();
        return new Rates(requests / seconds, millis(quantile(durations, Histogram.DURATION_SECONDS, 0.5)),
                millis(quantile(durations, Histogram.DURATION_SECONDS, 0.99)),
                millis(quantile(queue, Histogram.QUEUE_SECONDS, 0.99)), 100 * cpu / seconds);
    }

    /**
     * The {@code q} quantile of bucket counts, interpolated linearly inside its bucket, as
     * Prometheus's {@code histogram_quantile} does; the last bound when it falls past it; null
     * without observations.
     */
    static Double quantile(long[] counts, double[] bounds, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return null;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (below + counts[i] >= rank && counts[i] > 0) {
                if (i == bounds.length) {
                    return bounds[bounds.length - 1];
                }
                double lower = i == 0 ? 0 : bounds[i - 1];
                return lower + (bounds[i] - lower) * ((rank - below) / counts[i]);
            }
            below += counts[i];
        }
        return bounds[bounds.length - 1];
    }

    private static Double millis(Double seconds) {
        return seconds == null ? null : Math.round(seconds * 1e5) / 100.0;
    }

    private static void add(long[] into, long[] counts) {
        for (int i = 0; i < Math.min(into.length, counts.length); i++) {
            into[i] += counts[i];
        }
    }

    private static String label(Sample sample, String name) {
        List<String> labels = sample.labels();
        for (int i = 0; i + 1 < labels.size(); i += 2) {
            if (labels.get(i).equals(name)) {
                return labels.get(i + 1);
            }
        }
        return "";
    }
}
