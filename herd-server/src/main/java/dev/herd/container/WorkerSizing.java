package dev.herd.container;

import dev.herd.config.WorkerClass;

import java.util.ArrayList;
import java.util.List;

/**
 * How many workers a container's CPUs call for, and each worker JVM's share of the container.
 *
 * <p>{@code --workers auto}: one worker per CPU of the limit (rounded up) under {@code threads},
 * {@code virtual} and {@code async}, which each use a CPU fully; {@code 2 × CPUs + 1} under
 * {@code sync}, where a worker serves one request at a time and waits with it (Gunicorn's rule
 * for its sync workers).
 *
 * <p>The share: a JVM sizes its heap from the whole container (a quarter of the limit by default)
 * and its thread pools from every CPU the container may use. With N workers and the master in one
 * container, that is N + 1 JVMs each taking a quarter: 4 workers overcommit the limit and the
 * kernel's OOM killer ends one. herd gives each worker {@code -Xmx} = half of the limit divided by
 * N + 1 (the other half covers what every JVM needs beside its heap: metaspace, code, thread
 * stacks, Netty's buffers), and {@code -XX:ActiveProcessorCount} = its share of the CPU quota,
 * rounded up. Options of the user's in {@code --worker-jvm-opts} for either win.
 */
public final class WorkerSizing {

    /** Below this, a worker cannot boot an app; herd sizes no smaller and says so. */
    private static final long MIN_HEAP_MIB = 32;

    private WorkerSizing() {
    }

    /** A worker count with how it was reached, for print-config and the log. */
    public record Auto(int workers, String why) {
    }

    /** JVM options for each worker, with how they were reached; none when nothing is limited. */
    public record Share(List<String> options, String why) {
    }

    public static Auto autoWorkers(WorkerClass model, ContainerLimits limits, int availableProcessors) {
        double cpus = limits.cpuLimited() ? limits.cpus() : availableProcessors;
        String from = limits.cpuLimited() ? ContainerLimits.cpusText(cpus) + " (" + limits.cpuSource() + ")"
                : availableProcessors + (availableProcessors == 1 ? " CPU" : " CPUs") + " available (no cgroup CPU limit)";
        int cores = Math.max(1, (int) Math.ceil(cpus - 1e-9));
        if (model == WorkerClass.SYNC) {
            return new Auto(2 * cores + 1, "auto: " + from + ", sync: 2 x " + cores + " + 1");
        }
        return new Auto(cores, "auto: " + from + ", one worker per CPU");
    }

    /** The options each of {@code poolSize} workers gets in a container with {@code limits}. */
    public static Share share(ContainerLimits limits, int poolSize, List<String> userOptions) {
        List<String> options = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (limits.memoryLimited()) {
            if (userOptions.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize=")
                    || o.startsWith("-XX:MaxRAM"))) {
                why.add("heap from --worker-jvm-opts");
            } else {
                long limitMiB = limits.memoryBytes() / (1024 * 1024);
                long heapMiB = Math.max(MIN_HEAP_MIB, limitMiB / (poolSize + 1) / 2);
                options.add("-Xmx" + heapMiB + "m");
                why.add("-Xmx" + heapMiB + "m: half of " + limitMiB + " MiB / " + (poolSize + 1) + " JVMs ("
                        + poolSize + " workers + master; " + limits.memorySource() + ")"
                        + (heapMiB == MIN_HEAP_MIB && limitMiB / (poolSize + 1) / 2 < MIN_HEAP_MIB
                        ? ", raised to the " + MIN_HEAP_MIB + " MiB minimum: the limit is too small for this many workers"
                        : ""));
            }
        }
        if (limits.cpuLimited()) {
            if (userOptions.stream().anyMatch(o -> o.startsWith("-XX:ActiveProcessorCount="))) {
                why.add("processors from --worker-jvm-opts");
            } else {
                int each = Math.max(1, (int) Math.ceil(limits.cpus() / poolSize - 1e-9));
                options.add("-XX:ActiveProcessorCount=" + each);
                why.add("-XX:ActiveProcessorCount=" + each + ": " + ContainerLimits.cpusText(limits.cpus()) + " / "
                        + poolSize + " workers, rounded up");
            }
        }
        return new Share(List.copyOf(options), why.isEmpty() ? "no cgroup limits: the JVM's own defaults"
                : String.join("; ", why));
    }
}
