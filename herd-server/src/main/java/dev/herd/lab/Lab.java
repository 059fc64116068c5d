package dev.herd.lab;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the lab: for each core placement and form, starts a real herd server, drives each
 * workload with the load generator, samples the server's processes around the measured window,
 * stops the server. Then speed-ups against 1x1 on one core, and the seed's claims judged.
 */
public final class Lab {

    /** Where the one-core placement pins the server; the load generator is free to use the others. */
    static final int PINNED_CORE = 0;

    private final LabOptions options;
    private final Progress progress;

    public Lab(LabOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    public static Progress progressOn(java.io.PrintStream out, LabOptions options) {
        int starts = options.cores().size() * options.forms().size();
        double perStep = (options.warmup().toNanos() + options.duration().toNanos()) / 1e9;
        Progress progress = new Progress(out, starts * options.workloads().size(), starts, perStep);
        progress.serverStartEstimate(1.5 + options.serverWarmup().toNanos() / 1e9);
        return progress;
    }

    /** A progress bar for {@code steps} server starts of one load run each. */
    public static Progress progress(java.io.PrintStream out, int steps, double secondsPerStep) {
        return new Progress(out, steps, steps, secondsPerStep);
    }

    public LabReport run() throws IOException, InterruptedException {
        progress.restart();
        List<Measurement> measurements = new ArrayList<>();
        for (String cores : options.cores()) {
            for (Form form : options.forms()) {
                measurements.addAll(measureForm(form, cores));
            }
        }
        progress.finish();
        List<Measurement> withSpeedups = speedups(measurements);
        return new LabReport(Machine.current(), Instant.now().toString(), options, withSpeedups,
                Claims.judge(withSpeedups, options));
    }

    private List<Measurement> measureForm(Form form, String cores) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        int pin = cores.equals("one") ? PINNED_CORE : -1;
        List<Measurement> rows = new ArrayList<>();
        try (LabServer server = LabServer.start(form.server(pin, options.gil()))) {
            List<String> paths = options.workloadList().stream().flatMap(w -> w.mix().paths().stream()).distinct()
                    .toList();
            server.prime(paths, 2 * form.workers());
            // A fresh JVM runs its first requests interpreted; on one core the compiler competes with them. Every
            // path gets load until compiled, before any cell counts, so no form is measured cold.
            LoadGenerator.run(new LoadSpec("127.0.0.1", server.port(), new RequestMix(paths), options.connections(),
                    0, Duration.ZERO, options.serverWarmup(), options.loadThreads()));
            progress.serverStarted((System.nanoTime() - begin) / 1e9);
            for (Workload workload : options.workloadList()) {
                progress.step(form.name() + " " + cores + " core" + (cores.equals("one") ? "" : "s") + ", "
                        + workload.name());
                rows.add(measure(server, form, cores, workload));
            }
        }
        return rows;
    }

    private Measurement measure(LabServer server, Form form, String cores, Workload workload)
            throws InterruptedException {
        LoadSpec spec = new LoadSpec("127.0.0.1", server.port(), workload.mix(), options.connections(),
                options.rate(), options.warmup(), options.duration(), options.loadThreads());
        Probe.Outcome outcome = Probe.run(server, spec);
        LoadResult result = outcome.load();
        List<ProcessUsage> usage = outcome.processes();
        double seconds = result.seconds();
        return new Measurement(form.name(), form.description(), form.model(), form.workers(), form.threads(), cores,
                SeedTable.says(form, cores, options.gil()), workload.name(), result.throughput(),
                result.latencyMillis(50), result.latencyMillis(99), result.latencyMillis(99.9), result.requests(),
                result.errors(), 0, outcome.cpuCores(),
                usage.stream().mapToLong(ProcessUsage::voluntarySwitches).sum() / seconds,
                usage.stream().mapToLong(ProcessUsage::involuntarySwitches).sum() / seconds, usage);
    }

    /** Each row's throughput against 1x1 on one core under the same workload (or the first row of that workload). */
    private static List<Measurement> speedups(List<Measurement> rows) {
        Map<String, Double> base = new LinkedHashMap<>();
        for (Measurement row : rows) {
            if (row.form().equals("1x1") && row.cores().equals("one")) {
                base.put(row.workload(), row.throughput());
            }
        }
        for (Measurement row : rows) {
            base.putIfAbsent(row.workload(), row.throughput());
        }
        return rows.stream().map(row -> {
            double b = base.get(row.workload());
            return row.withSpeedup(b > 0 ? row.throughput() / b : 0);
        }).toList();
    }
}
