package dev.herd.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many established TCP connections to the server's port each process holds, from Linux's
 * /proc: keep-alive connections stay with the worker that accepted them, so with several
 * processes this split explains a form that did not scale (one worker queues, another idles).
 */
final class Connections {

    private Connections() {
    }

    /** The established connections on local {@code port} whose socket {@code pid} has open. */
    static int held(long pid, int port) {
        Set<String> inodes = socketInodes(pid);
        if (inodes.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ... inode (field 9); st 01 is ESTABLISHED.
                    if (f.length > 9 && f[3].equals("01") && f[1].endsWith(String.format(":%04X", port))
                            && inodes.contains(f[9])) {
                        count++;
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // No IPv6 table, or the process ended: nothing to count there.
            }
        }
        return count;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException ignored) {
                    // Closed meanwhile.
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
        return inodes;
    }
}
