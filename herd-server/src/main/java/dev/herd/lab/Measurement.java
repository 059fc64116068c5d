package dev.herd.lab;

import java.util.List;

/**
 * One cell of the lab: a form on one core or all cores under one workload, with the load
 * generator's figures and what the server's processes used meanwhile. {@code speedup} is the
 * throughput against the 1x1 form on one core under the same workload.
 */
public record Measurement(String form, String formDescription, String model, int workers, int threads,
                          String cores, String seedSays, String workload, double throughput, double p50Millis,
                          double p99Millis, double p999Millis, long requests, long errors, double speedup,
                          double cpuCores, double voluntarySwitchesPerSecond, double involuntarySwitchesPerSecond,
                          List<ProcessUsage> processes) {

    Measurement withSpeedup(double value) {
        return new Measurement(form, formDescription, model, workers, threads, cores, seedSays, workload, throughput,
                p50Millis, p99Millis, p999Millis, requests, errors, value, cpuCores, voluntarySwitchesPerSecond,
                involuntarySwitchesPerSecond, processes);
    }

    ProcessUsage master() {
        return processes.getFirst();
    }

    List<ProcessUsage> workerProcesses() {
        return processes.subList(1, processes.size());
    }

    /** The load's connections each worker held at the end of the window, e.g. {@code 20+12}. */
    String connectionSplit() {
        return String.join("+", workerProcesses().stream().map(p -> Integer.toString(p.connections())).toList());
    }

    double workerAverage(java.util.function.ToDoubleFunction<ProcessUsage> figure) {
        return workerProcesses().stream().mapToDouble(figure).average().orElse(0);
    }
}
