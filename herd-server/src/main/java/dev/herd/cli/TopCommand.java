package dev.herd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.ExitCodes;
import dev.herd.ipc.Message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code herd ctl top}: the master and each worker, refreshed every second, as {@code pm2 monit}
 * and {@code top} show them: state, generation, requests/s, in-flight, p50/p99, CPU, PSS,
 * threads by kind, heartbeat age and last restart cause, then the latest events. 80 columns.
 * Keys: {@code s} slot, {@code r} requests/s, {@code c} CPU, {@code m} memory, {@code l} p99
 * latency (sorting), {@code q} quit. {@code --once} prints one frame and exits (for scripts).
 */
final class TopCommand {

    static final int WIDTH = 80;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final String CLEAR = "\033[H\033[2J";

    private enum Sort {
        SLOT('s', "slot"), RPS('r', "req/s"), CPU('c', "cpu"), MEMORY('m', "memory"), LATENCY('l', "p99");

        final char key;
        final String label;

        Sort(char key, String label) {
            this.key = key;
            this.label = label;
        }
    }

    private TopCommand() {
    }

    static int run(Path socket, boolean once) {
        ObjectMapper json = new ObjectMapper();
        if (once) {
            try {
                System.out.print(frame(json.readTree(live(socket)), Sort.SLOT));
                return ExitCodes.OK;
            } catch (IOException e) {
                return failed(socket, e);
            }
        }
        Terminal terminal = Terminal.raw();
        try {
            Sort sort = Sort.SLOT;
            while (true) {
                JsonNode view;
                try {
                    view = json.readTree(live(socket));
                } catch (IOException e) {
                    terminal.restore();
                    return failed(socket, e);
                }
                System.out.print(CLEAR + frame(view, sort));
                System.out.flush();
                long until = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < until) {
                    int key = terminal.key();
                    if (key == 'q' || key == 'Q' || key == 3 || key == 4) {
                        return ExitCodes.OK;
                    }
                    for (Sort s : Sort.values()) {
                        if (key == s.key) {
                            sort = s;
                            until = 0; // show the new order at once
                        }
                    }
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        } finally {
            terminal.restore();
        }
    }

    private static String live(Path socket) throws IOException {
        Message.Reply reply = CtlCommand.ask(socket, new Message.Command("live", List.of()));
        if (reply.status() != ExitCodes.OK) {
            throw new IOException(reply.text().strip());
        }
        return reply.text();
    }

    private static int failed(Path socket, IOException e) {
        System.err.println("herd ctl: cannot talk to the master at " + socket + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        return ExitCodes.ERROR;
    }

    /** One screen: the master, a line or two per worker, the latest events. Every line fits {@link #WIDTH}. */
    static String frame(JsonNode view, Sort sort) {
        List<String> lines = new ArrayList<>();
        JsonNode m = view.path("master");
        lines.add(String.format(Locale.ROOT, "herd master %d %s, generation %d, %d worker%s, up %s, rss %s, %d threads",
                m.path("pid").asLong(), m.path("state").asText(), m.path("generation").asInt(),
                m.path("workers").asInt(), m.path("workers").asInt() == 1 ? "" : "s", duration(m.path("uptime_s").asDouble()),
                bytes(m.path("rss_bytes").asLong()), m.path("threads").asInt()));
        lines.add("keys: s slot  r req/s  c cpu  m memory  l p99  q quit        sorted by " + sort.label);
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%4s %-7s %3s %-8s %7s %5s %7s %7s %5s %6s %5s",
                "SLOT", "PID", "GEN", "STATE", "REQ/S", "INFL", "P50", "P99", "CPU%", "PSS", "HB"));
        List<JsonNode> workers = new ArrayList<>();
        view.path("workers").forEach(workers::add);
        workers.sort(order(sort));
        for (JsonNode w : workers) {
            lines.add(String.format(Locale.ROOT, "%4d %-7d %3d %-8s %7.1f %5d %7s %7s %5.0f %6s %5s",
                    w.path("slot").asInt(), w.path("pid").asLong(), w.path("generation").asInt(),
                    w.path("state").asText(), w.path("rps").asDouble(), w.path("in_flight").asInt(),
                    millis(w.path("p50_ms")), millis(w.path("p99_ms")), w.path("cpu_pct").asDouble(),
                    bytes(w.path("pss_bytes").asLong()),
                    w.path("heartbeat_age_s").isNull() ? "-" : String.format(Locale.ROOT, "%.1fs",
                            w.path("heartbeat_age_s").asDouble())));
            JsonNode t = w.path("threads");
            String last = w.path("last_restart").isNull() ? "-" : w.path("last_restart").asText();
            lines.add(String.format(Locale.ROOT, "     %s: loops %d (%.0f%%) handlers %d/%d carriers %d/%d"
                            + " virtual %d; restart: %s", w.path("model").asText(),
                    t.path("event_loop").path("count").asInt(), 100 * t.path("event_loop").path("busy").asDouble(),
                    (int) t.path("handler").path("busy").asDouble(), t.path("handler").path("count").asInt(),
                    (int) t.path("virtual_carrier").path("busy").asDouble(),
                    t.path("virtual_carrier").path("count").asInt(), t.path("virtual").path("count").asInt(), last));
        }
        lines.add("");
        List<JsonNode> events = new ArrayList<>();
        view.path("events").forEach(events::add);
        for (JsonNode e : events.subList(Math.max(0, events.size() - 6), events.size())) {
            lines.add(String.format(Locale.ROOT, "%s %-7s %s%s", CLOCK.format(Instant.ofEpochMilli(e.path("time_ms").asLong())),
                    e.path("kind").asText(),
                    e.path("slot").isNull() ? "" : "worker " + e.path("slot").asInt() + " pid " + e.path("pid").asLong()
                            + " gen " + e.path("generation").asInt() + " ",
                    e.path("detail").isNull() ? "" : e.path("detail").asText()));
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.length() > WIDTH ? line.substring(0, WIDTH) : line).append('\n');
        }
        return out.toString();
    }

    private static Comparator<JsonNode> order(Sort sort) {
        Comparator<JsonNode> bySlot = Comparator.comparingInt((JsonNode w) -> w.path("slot").asInt())
                .thenComparingInt(w -> w.path("generation").asInt());
        return switch (sort) {
            case SLOT -> bySlot;
            case RPS -> Comparator.comparingDouble((JsonNode w) -> -w.path("rps").asDouble()).thenComparing(bySlot);
            case CPU -> Comparator.comparingDouble((JsonNode w) -> -w.path("cpu_pct").asDouble()).thenComparing(bySlot);
            case MEMORY -> Comparator.comparingLong((JsonNode w) -> -w.path("pss_bytes").asLong()).thenComparing(bySlot);
            case LATENCY -> Comparator.comparingDouble((JsonNode w) -> -w.path("p99_ms").asDouble(0))
                    .thenComparing(bySlot);
        };
    }

    private static String millis(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return "-";
        }
        double ms = value.asDouble();
        return ms >= 1000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000) : String.format(Locale.ROOT, "%.1fms", ms);
    }

    private static String bytes(long bytes) {
        return bytes >= 10L << 30 ? (bytes >> 30) + "G" : (bytes >> 20) + "M";
    }

    private static String duration(double seconds) {
        long s = (long) seconds;
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s"
                : s / 3600 + "h" + String.format(Locale.ROOT, "%02d", s / 60 % 60) + "m";
    }

    /**
     * The terminal in character mode (no line buffering, no echo), through {@code stty} on
     * /dev/tty, put back as it was on the way out. Without a terminal, keys are simply not read.
     */
    private static final class Terminal {
        private final String saved;

        private Terminal(String saved) {
            this.saved = saved;
        }

        static Terminal raw() {
            String saved = stty("-g");
            if (saved != null) {
                stty("-icanon", "-echo", "min", "0", "time", "0");
                System.out.print("\033[?25l"); // hide the cursor while drawing
            }
            return new Terminal(saved);
        }

        int key() {
            if (saved == null) {
                return -1;
            }
            try {
                InputStream in = System.in;
                return in.available() > 0 ? in.read() : -1;
            } catch (IOException e) {
                return -1;
            }
        }

        void restore() {
            if (saved != null) {
                stty(saved);
                System.out.print("\033[?25h");
                System.out.flush();
            }
        }

        private static String stty(String... args) {
            List<String> command = new ArrayList<>(List.of("stty"));
            command.addAll(List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                return p.waitFor() == 0 ? out : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
