package dev.herd.lab;

/** What the load asks the demo app to do: burn CPU, wait (I/O), or a fixed blend of both. */
public record Workload(String name, String description, RequestMix mix) {

    static Workload cpu(int ms) {
        return new Workload("cpu", "CPU-bound: /cpu?ms=" + ms, RequestMix.of("/cpu?ms=" + ms));
    }

    static Workload io(int ms) {
        return new Workload("io", "I/O-bound: /io?ms=" + ms, RequestMix.of("/io?ms=" + ms));
    }

    static Workload mixed(int cpuMs, int ioMs, double cpuShare) {
        return new Workload("mixed", "mixed: " + Math.round(cpuShare * 100) + " % /cpu?ms=" + cpuMs
                + ", the rest /io?ms=" + ioMs, RequestMix.blend("/cpu?ms=" + cpuMs, "/io?ms=" + ioMs, cpuShare));
    }
}
