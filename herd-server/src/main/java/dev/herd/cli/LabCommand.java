package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.lab.HtmlReport;
import dev.herd.lab.JsonReport;
import dev.herd.lab.Lab;
import dev.herd.lab.LabOptions;
import dev.herd.lab.LabReport;
import dev.herd.lab.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code herd lab}: measures the seed's table of processes, threads and cores on this machine
 * with real herd servers (see docs/lab.md). {@code herd lab load URL} is its load generator on
 * its own, wrk-style.
 */
@Command(name = "herd lab", mixinStandardHelpOptions = false, sortOptions = false,
        description = "Measure processes x threads x cores for CPU-bound and I/O-bound work on real herd workers."
                + " 'herd lab load URL' runs the load generator alone.")
final class LabCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--quick", description = "Short runs (every row still measured): under 2 minutes on 2 cores.")
    boolean quick;

    @Option(names = "--gil", description = "An emulated global interpreter lock in every worker (CPython's behaviour).")
    boolean gil;

    @Option(names = "--json", description = "Print the report as JSON instead of the table.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report here.")
    Path html;

    @Option(names = {"-n", "--processes"}, paramLabel = "N",
            description = "N of the NxM forms (default: cores, at least 2).")
    int processes = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Option(names = {"-m", "--threads"}, paramLabel = "M",
            description = "M of the NxM forms (default: ${DEFAULT-VALUE}).")
    int threads = 8;

    @Option(names = {"-c", "--connections"},
            description = "Keep-alive connections of the load (default: ${DEFAULT-VALUE}).")
    int connections = 32;

    @Option(names = "--rate", paramLabel = "REQ/S", description = "Constant rate instead of closed loop; latency from"
            + " each request's intended send time.")
    double rate;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Warm-up per cell, not measured (default 2; --quick 0.5);"
            + " each new server first gets twice that on all paths.")
    Double warmup;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS",
            description = "Measured time per cell (default 5; --quick 1.2).")
    Double duration;

    @Option(names = "--cpu-ms", description = "CPU per /cpu request in ms (default: ${DEFAULT-VALUE}).")
    int cpuMillis = 1;

    @Option(names = "--io-ms", description = "Wait per /io request in ms (default: ${DEFAULT-VALUE}).")
    int ioMillis = 10;

    @Option(names = "--mix", paramLabel = "SHARE", description = "Share of /cpu requests in the mixed workload, 0 to 1"
            + " (default: ${DEFAULT-VALUE}).")
    double mix = 0.5;

    @Option(names = "--workloads", split = ",", description = "Some of cpu,io,mixed (default: all).")
    List<String> workloads = LabOptions.WORKLOADS;

    @Option(names = "--cores", split = ",", description = "Some of one,all (default: both).")
    List<String> cores = LabOptions.CORES;

    @Option(names = "--load-threads", description = "Event loops of the load generator (default: ${DEFAULT-VALUE}).")
    int loadThreads = 1;

    private LabCommand() {
    }

    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("load")) {
            return LoadCommand.run(Arrays.copyOfRange(args, 1, args.length));
        }
        LabCommand command = new LabCommand();
        Integer parsed = PicocliCommand.parse(command, args, "herd lab");
        if (parsed != null) {
            return parsed;
        }
        String problem = command.problem();
        if (problem != null) {
            return usageError(problem);
        }
        return command.execute();
    }

    private String problem() {
        if (processes < 1 || threads < 1 || connections < 1 || loadThreads < 1) {
            return "--processes, --threads, --connections and --load-threads must be at least 1";
        }
        if (!(mix >= 0 && mix <= 1)) {
            return "--mix must be from 0 to 1, got " + mix;
        }
        if (rate < 0 || cpuMillis < 0 || ioMillis < 0) {
            return "--rate, --cpu-ms and --io-ms cannot be negative";
        }
        if ((warmup != null && warmup < 0) || (duration != null && !(duration > 0))) {
            return "--warmup cannot be negative and --duration must be more than 0";
        }
        for (String w : workloads) {
            if (!LabOptions.WORKLOADS.contains(w)) {
                return "unknown workload '" + w + "' (choose from cpu, io, mixed)";
            }
        }
        for (String c : cores) {
            if (!LabOptions.CORES.contains(c)) {
                return "unknown core placement '" + c + "' (choose from one, all)";
            }
        }
        if (html != null && (html.toAbsolutePath().getParent() == null
                || !Files.isDirectory(html.toAbsolutePath().getParent()))) {
            return "the directory of --html " + html + " does not exist";
        }
        return null;
    }

    private int execute() {
        LabOptions options = new LabOptions(processes, threads, connections, rate,
                seconds(warmup, quick ? 0.5 : 2), seconds(duration, quick ? 1.2 : 5), cpuMillis, ioMillis, mix, gil,
                workloads.stream().distinct().toList(), cores.stream().distinct().toList(), loadThreads);
        LabReport report;
        try {
            report = new Lab(options, Lab.progressOn(System.err, options)).run();
        } catch (IOException e) {
            System.err.println("\nherd lab: " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.ERROR;
        }
        System.out.print(json ? JsonReport.render(report) : TextReport.render(report));
        if (html != null) {
            try {
                Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("herd lab: cannot write " + html + ": " + e.getMessage());
                return ExitCodes.ERROR;
            }
        }
        return ExitCodes.OK;
    }

    static Duration seconds(Double given, double fallback) {
        double value = given == null ? fallback : given;
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    private static int usageError(String message) {
        return PicocliCommand.usageError("herd lab", message);
    }
}
