package dev.herd.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's JVM as OpenTelemetry's JVM conventions name it (CPU time, memory by pool and
 * after the last collection, collection durations, threads, classes), and its threads by what
 * they do in herd. Every series is per worker: the master labels it with the slot.
 */
public final class JvmMetrics {

    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<List<String>, Histogram> collections = new ConcurrentHashMap<>();
    private long reportedCpuNanos;
    /** Each event loop thread's CPU time at the previous report, and when that was. */
    private final Map<Long, Long> loopCpuNanos = new java.util.HashMap<>();
    private long reportedAtNanos = System.nanoTime();

    public JvmMetrics() {
        // Each collection's duration as the JVM tells it, by collector and action.
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                            notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                (CompositeData) notification.getUserData());
                        collections.computeIfAbsent(List.of("jvm_gc_name", info.getGcName(), "jvm_gc_action",
                                        info.getGcAction()), k -> new Histogram(Histogram.GC_SECONDS, Histogram.NANOS))
                                .observe(info.getGcInfo().getDuration() / 1000.0);
                    }
                }, null, null);
            }
        }
    }

    /**
     * The samples now: increases of the counters and histograms, values of the gauges. One caller at a time.
     *
     * @param inFlight the worker's requests in flight, which is how many handler threads are busy (at most all)
     */
    public void collect(List<Sample> out, int inFlight) {
        long cpu = os.getProcessCpuTime();
        if (cpu > reportedCpuNanos) {
            out.add(Sample.counter(Catalog.JVM_CPU_TIME, true, List.of(), (cpu - reportedCpuNanos) / 1e9));
            reportedCpuNanos = cpu;
        }
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            List<String> labels = List.of("jvm_memory_type", pool.getType() == MemoryType.HEAP ? "heap" : "non_heap",
                    "jvm_memory_pool_name", pool.getName());
            MemoryUsage usage = pool.getUsage();
            if (usage != null) {
                out.add(Sample.gauge(Catalog.JVM_MEMORY_USED, true, labels, usage.getUsed()));
                out.add(Sample.gauge(Catalog.JVM_MEMORY_COMMITTED, true, labels, usage.getCommitted()));
            }
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (afterGc != null) {
                out.add(Sample.gauge(Catalog.JVM_MEMORY_AFTER_GC, true, labels, afterGc.getUsed()));
            }
        }
        collections.forEach((labels, histogram) -> {
            Sample sample = histogram.delta(Catalog.JVM_GC_DURATION, true, labels);
            if (sample != null) {
                out.add(sample);
            }
        });
        int daemons = threads.getDaemonThreadCount();
        out.add(Sample.gauge(Catalog.JVM_THREAD_COUNT, true, List.of("jvm_thread_daemon", "true"), daemons));
        out.add(Sample.gauge(Catalog.JVM_THREAD_COUNT, true, List.of("jvm_thread_daemon", "false"),
                threads.getThreadCount() - daemons));
        out.add(Sample.gauge(Catalog.JVM_CLASS_COUNT, true, List.of(),
                ManagementFactory.getClassLoadingMXBean().getLoadedClassCount()));
        long now = System.nanoTime();
        // One look at the threads serves both the counts by kind and the loops' CPU.
        ThreadInfo[] all = threads.getThreadInfo(threads.getAllThreadIds(), 0);
        Map<String, Integer> kinds = threadsByKind(all);
        kinds.forEach((kind, count) ->
                out.add(Sample.gauge(Catalog.WORKER_THREADS, true, List.of("kind", kind), count)));
        out.add(Sample.gauge(Catalog.WORKER_THREADS_BUSY, true, List.of("kind", "event_loop"),
                loopsBusy(all, now - reportedAtNanos)));
        out.add(Sample.gauge(Catalog.WORKER_THREADS_BUSY, true, List.of("kind", "handler"),
                Math.min(inFlight, kinds.get("handler"))));
        out.add(Sample.gauge(Catalog.WORKER_THREADS_BUSY, true, List.of("kind", "virtual_carrier"),
                Math.min(kinds.get("virtual"), kinds.get("virtual_carrier"))));
        reportedAtNanos = now;
    }

    /**
     * How busy the event loops were since the previous report, in loops: each loop's CPU time
     * over the time that passed, summed (1.5 is one loop flat out and another half). A loop
     * waiting in epoll uses none; one running handlers under async, all of it.
     */
    private double loopsBusy(ThreadInfo[] all, long elapsedNanos) {
        double busy = 0;
        Map<Long, Long> seen = new java.util.HashMap<>();
        for (ThreadInfo info : all) {
            if (info != null && kindOf(info.getThreadName()).equals("event_loop")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    Long before = loopCpuNanos.get(info.getThreadId());
                    if (before != null && elapsedNanos > 0) {
                        busy += Math.min(1.0, (cpu - before) / (double) elapsedNanos);
                    }
                    seen.put(info.getThreadId(), cpu);
                }
            }
        }
        loopCpuNanos.clear();
        loopCpuNanos.putAll(seen);
        return busy;
    }

    /**
     * Platform threads by their names (herd names its own), and the virtual threads mounted on a
     * carrier now, which is how many of them are running rather than waiting.
     */
    private Map<String, Integer> threadsByKind(ThreadInfo[] all) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (String kind : List.of("event_loop", "handler", "virtual_carrier", "virtual", "other")) {
            kinds.put(kind, 0);
        }
        for (ThreadInfo info : all) {
            if (info != null) {
                kinds.merge(kindOf(info.getThreadName()), 1, Integer::sum);
            }
        }
        jdk.management.VirtualThreadSchedulerMXBean scheduler =
                ManagementFactory.getPlatformMXBean(jdk.management.VirtualThreadSchedulerMXBean.class);
        if (scheduler != null) {
            kinds.put("virtual", Math.max(0, scheduler.getMountedVirtualThreadCount()));
        }
        return kinds;
    }

    static String kindOf(String name) {
        if (name.startsWith("herd-loop")) {
            return "event_loop";
        }
        if (name.startsWith("herd-thread") || name.startsWith("herd-sync") || name.startsWith("herd-jetty")) {
            return "handler";
        }
        if (name.startsWith("ForkJoinPool-") && name.contains("-worker-")) {
            return "virtual_carrier";
        }
        return "other";
    }
}
