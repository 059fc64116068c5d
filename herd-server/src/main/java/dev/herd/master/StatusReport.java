package dev.herd.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.state.local.StateStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code herd ctl status} prints: the process tree, master first, then each worker with its
 * generation, state, uptime, load (from its last heartbeat), threads and memory (from /proc).
 * Built on the master's loop thread from a snapshot of its state.
 */
final class StatusReport {

    /** The master's side of the report. */
    record MasterView(long pid, String state, int generation, int targetWorkers, List<String> listen,
                      long uptimeNanos, String reload, String stateBackend, StateStats stateStats) {
    }

    private final MasterView master;
    private final List<WorkerHandle> workers;
    private final long nowNanos;

    StatusReport(MasterView master, List<WorkerHandle> workers, long nowNanos) {
        this.master = master;
        this.workers = workers;
        this.nowNanos = nowNanos;
    }

    MasterView master() {
        return master;
    }

    List<WorkerHandle> workers() {
        return workers;
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        ProcessStats self = ProcessStats.of(master.pid());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", master.pid());
        m.put("state", master.state());
        m.put("generation", master.generation());
        m.put("workers", master.targetWorkers());
        m.put("listen", master.listen());
        m.put("uptime_s", seconds(master.uptimeNanos()));
        m.put("rss_kib", self.rssKiB());
        m.put("threads", self.threads());
        m.put("reload", master.reload());
        root.put("master", m);
        root.put("state", stateJson());
        List<Map<String, Object>> list = new ArrayList<>();
        for (WorkerHandle w : workers) {
            ProcessStats stats = ProcessStats.of(w.pid());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", w.index());
            entry.put("pid", w.pid());
            entry.put("generation", w.generation());
            entry.put("state", w.state().name().toLowerCase(Locale.ROOT));
            entry.put("uptime_s", seconds(nowNanos - w.spawnedNanos()));
            entry.put("requests", w.requests());
            entry.put("in_flight", w.inFlight());
            entry.put("connections", w.connections());
            entry.put("streams", w.streams());
            entry.put("websockets", w.webSockets());
            entry.put("threads", stats.threads());
            entry.put("rss_kib", stats.rssKiB());
            entry.put("heartbeat_age_s", w.everReady() ? seconds(nowNanos - w.lastHeartbeatNanos()) : null);
            list.add(entry);
        }
        root.put("workers", list);
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serializes", e);
        }
    }

    String text() {
        ProcessStats self = ProcessStats.of(master.pid());
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "master pid=%d %s, generation %d, %d worker%s wanted, up %s, rss %s,"
                        + " listen %s%s%n", master.pid(), master.state(), master.generation(), master.targetWorkers(),
                master.targetWorkers() == 1 ? "" : "s", human(master.uptimeNanos()), mib(self.rssKiB()),
                String.join(",", master.listen()), master.reload() == null ? "" : ", " + master.reload()));
        out.append(stateText());
        for (int i = 0; i < workers.size(); i++) {
            WorkerHandle w = workers.get(i);
            ProcessStats stats = ProcessStats.of(w.pid());
            out.append(i == workers.size() - 1 ? "└─ " : "├─ ");
            out.append(String.format(Locale.ROOT, "worker %d pid=%d gen %d %-8s up %-7s requests %-8d in-flight %-3d"
                            + " connections %-4d streams %-3d websockets %-4d threads %-3d rss %-8s heartbeat %s%n",
                    w.index(), w.pid(), w.generation(), w.state().name().toLowerCase(Locale.ROOT),
                    human(nowNanos - w.spawnedNanos()), w.requests(), w.inFlight(), w.connections(), w.streams(),
                    w.webSockets(), stats.threads(),
                    mib(stats.rssKiB()), w.everReady() ? human(nowNanos - w.lastHeartbeatNanos()) + " ago" : "-"));
        }
        return out.toString();
    }

    /** The shared state: the master's store's figures under {@code local}, the backend's name otherwise. */
    private Map<String, Object> stateJson() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("backend", master.stateBackend());
        StateStats s = master.stateStats();
        if (s != null) {
            state.put("keys", s.keys());
            state.put("bytes", s.bytes());
            state.put("max_bytes", s.maxBytes());
            state.put("evictions", s.evictions());
            state.put("expirations", s.expirations());
            state.put("connections", s.connections());
            state.put("file_bytes", s.fileBytes() < 0 ? null : s.fileBytes());
            state.put("compactions", s.compactions());
        }
        return state;
    }

    private String stateText() {
        StateStats s = master.stateStats();
        if (s == null) {
            return "state " + master.stateBackend() + "\n";
        }
        return String.format(Locale.ROOT, "state %s: %d keys, %s of %s, %d evicted, %d expired, %d connections%s%n",
                master.stateBackend(), s.keys(), mib(s.bytes() / 1024), mib(s.maxBytes() / 1024), s.evictions(),
                s.expirations(), s.connections(), s.fileBytes() < 0 ? "" : ", file " + mib(s.fileBytes() / 1024));
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1e3;
    }

    private static String human(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        if (d.toSeconds() < 10) {
            return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
        }
        if (d.toMinutes() < 1) {
            return d.toSeconds() + "s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + "m" + String.format(Locale.ROOT, "%02d", d.toSecondsPart()) + "s";
        }
        return d.toHours() + "h" + String.format(Locale.ROOT, "%02d", d.toMinutesPart()) + "m";
    }

    private static String mib(long kib) {
        return kib < 0 ? "?" : String.format(Locale.ROOT, "%.0fMiB", kib / 1024.0);
    }
}
