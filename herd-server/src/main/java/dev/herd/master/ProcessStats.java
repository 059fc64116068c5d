package dev.herd.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory and thread count of a process, from {@code /proc/PID/status} (Linux). */
record ProcessStats(long rssKiB, int threads) {

    static final ProcessStats UNKNOWN = new ProcessStats(-1, -1);

    static ProcessStats of(long pid) {
        long rss = -1;
        int threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return UNKNOWN;
        }
        return new ProcessStats(rss, threads);
    }
}
