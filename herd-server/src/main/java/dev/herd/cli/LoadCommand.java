package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.lab.LoadGenerator;
import dev.herd.lab.LoadResult;
import dev.herd.lab.LoadSpec;
import dev.herd.lab.RequestMix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.util.Locale;

/**
 * {@code herd lab load URL}: the lab's load generator alone against any HTTP/1.1 server on
 * loopback, printing what wrk prints (throughput and latency percentiles), so the two can be
 * compared on the same target.
 */
@Command(name = "herd lab load",
        description = "Drive one URL with the lab's load generator and print req/s and latency.")
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

    @Parameters(paramLabel = "URL", description = "http://HOST:PORT/PATH")
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
        if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 1) {
            return usageError("URL must be http://HOST:PORT/PATH, got " + url);
        }
        if (command.connections < 1 || command.threads < 1 || !(command.duration > 0) || command.warmup < 0
                || command.rate < 0) {
            return usageError("-c and -t must be at least 1, -d more than 0, --warmup and --rate not negative");
        }
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        LoadSpec spec = new LoadSpec(url.getHost(), url.getPort(), RequestMix.of(path), command.connections,
                command.rate, LabCommand.seconds(command.warmup, 0), LabCommand.seconds(command.duration, 0),
                command.threads);
        try {
            LoadResult result = LoadGenerator.run(spec);
            System.out.printf(Locale.ROOT, "%d requests in %.2f s, %d errors%nRequests/sec: %.2f%n"
                            + "Latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                    result.requests(), result.seconds(), result.errors(), result.throughput(), result.latencyMillis(50),
                    result.latencyMillis(90), result.latencyMillis(99), result.latencyMillis(99.9), result.maxMillis());
            return result.requests() > 0 ? ExitCodes.OK : ExitCodes.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.ERROR;
        }
    }

    private static int usageError(String message) {
        return PicocliCommand.usageError("herd lab load", message);
    }
}
