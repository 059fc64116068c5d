package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.lab.LoadGenerator;
import dev.herd.lab.LoadResult;
import dev.herd.lab.LoadSpec;
import dev.herd.lab.RequestMix;
import dev.herd.lab.WebSocketFanout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code herd lab load URL}: the lab's load generator alone against any HTTP/1.1 server on
 * loopback, printing what wrk prints (throughput and latency percentiles), so the two can be
 * compared on the same target. With a {@code ws://} URL it drives a WebSocket echo endpoint
 * the same way (messages instead of requests); with {@code --hold} it holds many idle
 * WebSockets and times broadcasts through them ({@link WebSocketFanout}).
 */
@Command(name = "herd lab load",
        description = "Drive one URL with the lab's load generator and print req/s and latency;"
                + " or, with a ws:// URL, messages/s and latency of a WebSocket echo.")
final class LoadCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = {"-c", "--connections"}, description = "Keep-alive connections (default: ${DEFAULT-VALUE}).")
    int connections = 32;

    @Option(names = {"-t", "--threads"}, description = "Event loops (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS",
            description = "Measured time (default: ${DEFAULT-VALUE}).")
    double duration = 10;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Not measured, before (default: ${DEFAULT-VALUE}).")
    double warmup = 0;

    @Option(names = {"-R", "--rate"}, paramLabel = "REQ/S",
            description = "Constant rate (0: closed loop, the default).")
    double rate;

    @Option(names = "--ws", description = "WebSocket echo: each connection sends a text message and waits for"
            + " the server's next message, again and again (implied by a ws:// URL).")
    boolean ws;

    @Option(names = "--size", paramLabel = "BYTES", description = "WebSocket message size (default: ${DEFAULT-VALUE}).")
    int size = 16;

    @Option(names = "--deflate", description = "WebSocket: offer permessage-deflate, as browsers do.")
    boolean deflate;

    @Option(names = "--hold", description = "WebSocket fan-out: open -c WebSockets, hold them idle for -d seconds,"
            + " then time --broadcasts through one of them (for a chat room that sends each message to all).")
    boolean hold;

    @Option(names = "--broadcasts", paramLabel = "N",
            description = "With --hold: messages to send, one at a time (default: ${DEFAULT-VALUE}).")
    int broadcasts;

    @Option(names = "--warmup-broadcasts", paramLabel = "N",
            description = "With --hold: broadcasts before those, not timed (default: ${DEFAULT-VALUE}).")
    int warmupBroadcasts;

    @Option(names = "--open-timeout", paramLabel = "SECONDS",
            description = "With --hold: most time to open the WebSockets (default: ${DEFAULT-VALUE}).")
    double openTimeout = 60;

    @Parameters(paramLabel = "URL", description = "http://HOST:PORT/PATH or ws://HOST:PORT/PATH")
    URI url;

    private LoadCommand() {
    }

    static int run(String[] args) {
        LoadCommand command = new LoadCommand();
        Integer parsed = PicocliCommand.parse(command, args, "herd lab load");
        if (parsed != null) {
            return parsed;
        }
        URI url = command.url;
        boolean ws = command.ws || command.hold || command.deflate || "ws".equals(url.getScheme());
        if (!(ws ? "ws" : "http").equals(url.getScheme()) || url.getHost() == null || url.getPort() < 1) {
            return usageError("URL must be " + (ws ? "ws" : "http") + "://HOST:PORT/PATH, got " + url);
        }
        if (command.connections < 1 || command.threads < 1 || !(command.duration > 0) || command.warmup < 0
                || command.rate < 0) {
            return usageError("-c and -t must be at least 1, -d more than 0, --warmup and --rate not negative");
        }
        if (command.size < 1 || command.broadcasts < 0 || command.warmupBroadcasts < 0
                || !(command.openTimeout > 0)) {
            return usageError("--size must be at least 1, the broadcasts not negative, --open-timeout more than 0");
        }
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        try {
            if (command.hold) {
                return hold(command, url, path);
            }
            LoadSpec spec = new LoadSpec(url.getHost(), url.getPort(), RequestMix.of(path), command.connections,
                    command.rate, LabCommand.seconds(command.warmup, 0), LabCommand.seconds(command.duration, 0),
                    command.threads);
            LoadResult result = ws ? LoadGenerator.runWebSocket(spec, command.size, command.deflate)
                    : LoadGenerator.run(spec);
            String unit = ws ? "messages" : "requests";
            System.out.printf(Locale.ROOT, "%d %s in %.2f s, %d errors%n%s/sec: %.2f%n"
                            + "Latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                    result.requests(), unit, result.seconds(), result.errors(), ws ? "Messages" : "Requests",
                    result.throughput(), result.latencyMillis(50), result.latencyMillis(90), result.latencyMillis(99),
                    result.latencyMillis(99.9), result.maxMillis());
            return result.requests() > 0 ? ExitCodes.OK : ExitCodes.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.ERROR;
        }
    }

    private static int hold(LoadCommand command, URI url, String path) throws InterruptedException {
        WebSocketFanout.Spec spec = new WebSocketFanout.Spec(url.getHost(), url.getPort(), path, command.connections,
                command.threads, LabCommand.seconds(command.openTimeout, 0), LabCommand.seconds(command.duration, 0),
                command.warmupBroadcasts, command.broadcasts, command.deflate);
        WebSocketFanout.Result result = WebSocketFanout.run(spec, new WebSocketFanout.Phases() {
            // A harness reads these lines to measure the server while the WebSockets are held.
            @Override
            public void opened(int opened, int wanted, int failed, double openSeconds, double quietSeconds) {
                System.out.printf(Locale.ROOT, "%d of %d WebSockets open in %.2f s, %d failed; quiet %.2f s later;"
                        + " holding %.1f s%n", opened, wanted, openSeconds, failed, quietSeconds, command.duration);
                System.out.flush();
            }

            @Override
            public void broadcasted(WebSocketFanout.Result result) {
                System.out.printf(Locale.ROOT, "%d still open after the hold%n%d broadcasts (after %d not timed):"
                                + " %d of %d deliveries%nDelivery latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms,"
                                + " p99.9 %.3f ms, max %.3f ms%n", result.stillOpen(), result.broadcasts(),
                        command.warmupBroadcasts, result.delivered(), result.expected(), result.latencyMillis(50),
                        result.latencyMillis(90), result.latencyMillis(99), result.latencyMillis(99.9),
                        result.latencyMicros().getMaxValue() / 1000.0);
                System.out.println("Each broadcast's last delivery after: " + result.lastMillis().stream()
                        .map(ms -> String.format(Locale.ROOT, "%.1f ms", ms)).collect(Collectors.joining(", "))
                        + String.format(Locale.ROOT, "; holding %.1f s", command.duration));
                System.out.flush();
            }
        });
        if (result.broadcasts() == 0 && command.warmupBroadcasts == 0) {
            System.out.printf(Locale.ROOT, "%d still open after the hold%n", result.stillOpen());
        }
        return result.opened() > 0 ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private static int usageError(String message) {
        return PicocliCommand.usageError("herd lab load", message);
    }
}
