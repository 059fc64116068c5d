package dev.herd.lab;

/**
 * What one process of a herd server used during a measured window: CPU seconds and context
 * switches between two samples; threads, RSS, PSS and the load's connections it held as at the
 * end of the window.
 */
public record ProcessUsage(long pid, String role, double cpuSeconds, long voluntarySwitches,
                           long involuntarySwitches, int threads, double rssMiB, double pssMiB, int connections) {

    static ProcessUsage between(String role, ProcessSample before, ProcessSample after, int connections) {
        return new ProcessUsage(after.pid(), role,
                (after.cpuTicks() - before.cpuTicks()) / ProcessSample.TICKS_PER_SECOND,
                after.voluntary() - before.voluntary(), after.involuntary() - before.involuntary(), after.threads(),
                after.rssKiB() / 1024.0, after.pssKiB() / 1024.0, connections);
    }
}
