package dev.herd.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's counters at one moment, from Linux's /proc: CPU time (stat), context switches
 * summed over its threads (task/TID/status: the process-level status only counts the main
 * thread), thread count and RSS (status), PSS (smaps_rollup: shared pages divided among the
 * processes that map them, so PSS adds up across workers where RSS double-counts).
 */
record ProcessSample(long pid, long cpuTicks, long voluntary, long involuntary, int threads, long rssKiB,
                     long pssKiB) {

    /** USER_HZ: the unit of /proc/PID/stat's times; 100 on every Linux architecture herd runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    static ProcessSample of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // The command name in parentheses may hold spaces; fields are counted after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long[] switches = contextSwitches(proc);
            return new ProcessSample(pid, ticks, switches[0], switches[1], (int) statusValue(proc, "Threads:"),
                    statusValue(proc, "VmRSS:"), pss(proc));
        } catch (IOException | RuntimeException e) {
            return new ProcessSample(pid, 0, 0, 0, 0, 0, 0);
        }
    }

    private static long[] contextSwitches(Path proc) throws IOException {
        long[] sums = new long[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    sums[0] += statusValue(task, "voluntary_ctxt_switches:");
                    sums[1] += statusValue(task, "nonvoluntary_ctxt_switches:");
                } catch (IOException ignored) {
                    // The thread ended between the listing and the read.
                }
            }
        }
        return sums;
    }

    private static long statusValue(Path dir, String key) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static long pss(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.substring(4).replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Not readable (another user's process, or an old kernel): reported as 0.
        }
        return 0;
    }
}
