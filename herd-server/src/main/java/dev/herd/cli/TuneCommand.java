package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.lab.JsonReport;
import dev.herd.lab.Lab;
import dev.herd.lab.Tune;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code herd tune [--app-jar JAR] [APP_CLASS] --path /endpoint}: measures the app under
 * candidate configurations and recommends one, with its evidence.
 */
@Command(name = "herd tune", description = "Serve your app under candidate configurations, measure each with the lab's"
        + " load generator, and rank them.")
final class TuneCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--app-jar", paramLabel = "JAR", description = "The app's jar (default: the built-in demo app).")
    String appJar = "";

    @Parameters(arity = "0..1", paramLabel = "APP_CLASS", description = "The app's class.")
    String appClass = "";

    @Option(names = "--path", required = true, description = "The endpoint to load, e.g. /orders?id=1.")
    String path;

    @Option(names = {"-c", "--connections"}, description = "Keep-alive connections (default: ${DEFAULT-VALUE}).")
    int connections = 32;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Warm-up per candidate (default 2; --quick 0.5),"
            + " after twice that on the fresh server.")
    Double warmup;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS",
            description = "Measured time per candidate (default 5;"
            + " --quick 1.2).")
    Double duration;

    @Option(names = "--quick", description = "Short runs.")
    boolean quick;

    @Option(names = "--json", description = "Print the ranking as JSON.")
    boolean json;

    private TuneCommand() {
    }

    static int run(String[] args) {
        TuneCommand command = new TuneCommand();
        Integer parsed = PicocliCommand.parse(command, args, "herd tune");
        if (parsed != null) {
            return parsed;
        }
        if (!command.path.startsWith("/")) {
            return usageError("--path must start with /, got '" + command.path + "'");
        }
        if (!command.appJar.isEmpty() && !Files.exists(Path.of(command.appJar))) {
            return usageError("--app-jar " + command.appJar + " does not exist");
        }
        if (command.connections < 1 || (command.warmup != null && command.warmup < 0)
                || (command.duration != null && !(command.duration > 0))) {
            return usageError("--connections must be at least 1, --warmup not negative, --duration more than 0");
        }
        Tune.Options options = new Tune.Options(command.appJar, command.appClass, command.path, command.connections,
                LabCommand.seconds(command.warmup, command.quick ? 0.5 : 2),
                LabCommand.seconds(command.duration, command.quick ? 1.2 : 5));
        List<Tune.Candidate> candidates = Tune.candidates(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            double perStep = (options.warmup().toNanos() + options.duration().toNanos()) / 1e9;
            Tune.Report report = Tune.run(options, candidates, Lab.progress(System.err, candidates.size(), perStep));
            System.out.print(command.json ? JsonReport.render(report) : Tune.render(report));
            return report.recommended() == null ? ExitCodes.ERROR : ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.ERROR;
        }
    }

    private static int usageError(String message) {
        return PicocliCommand.usageError("herd tune", message);
    }
}
