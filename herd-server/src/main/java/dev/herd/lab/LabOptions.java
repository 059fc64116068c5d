package dev.herd.lab;

import java.time.Duration;
import java.util.List;

/**
 * What {@code herd lab} measures and how long: N processes, M threads, the load (connections,
 * closed loop or a constant rate), the workloads, the core placements, and the emulated GIL.
 */
public record LabOptions(int processes, int threads, int connections, double rate, Duration warmup,
                         Duration duration, int cpuMillis, int ioMillis, double cpuShare, boolean gil,
                         List<String> workloads, List<String> cores, int loadThreads) {

    public static final List<String> WORKLOADS = List.of("cpu", "io", "mixed");
    public static final List<String> CORES = List.of("one", "all");

    List<Workload> workloadList() {
        return workloads.stream().map(name -> switch (name) {
            case "cpu" -> Workload.cpu(cpuMillis);
            case "io" -> Workload.io(ioMillis);
            case "mixed" -> Workload.mixed(cpuMillis, ioMillis, cpuShare);
            default -> throw new IllegalArgumentException("unknown workload " + name);
        }).toList();
    }

    /** Load on every path of a freshly started server, not measured: twice the per-cell warm-up. */
    Duration serverWarmup() {
        return warmup.multipliedBy(2);
    }

    List<Form> forms() {
        return Form.matrix(processes, threads);
    }
}
