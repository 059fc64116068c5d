package dev.herd.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The accept queues of listening TCP sockets, as the kernel shows them in {@code /proc/net/tcp}
 * and {@code tcp6}: for a socket in LISTEN, {@code rx_queue} is the connections waiting to be
 * accepted and {@code tx_queue} the queue's limit (the backlog). Linux only; elsewhere nothing.
 */
public final class ListenQueues {

    /** Waiting connections and the limit, over every listening socket on a port (reuseport has several). */
    public record Depth(long waiting, long limit) {
    }

    private static final String LISTEN = "0A";

    private ListenQueues() {
    }

    public static Depth of(int port, int backlog) {
        long perSocket = Math.min(backlog, somaxconn());
        long waiting = 0;
        long limit = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 5 || !fields[3].equals(LISTEN)) {
                    continue;
                }
                String local = fields[1];
                int colon = local.lastIndexOf(':');
                if (colon < 0 || Integer.parseInt(local.substring(colon + 1), 16) != port) {
                    continue;
                }
                String[] queues = fields[4].split(":");
                waiting += Long.parseLong(queues[1], 16);
                limit += perSocket;
            }
        }
        return new Depth(waiting, limit);
    }

    private static long somaxconn() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/sys/net/core/somaxconn")).trim());
        } catch (IOException | NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
