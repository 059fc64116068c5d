package dev.herd.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code herd tune}: serves the user's app under candidate configurations (models, workers,
 * threads), each with the lab's load generator on one path, and ranks them: throughput first;
 * among those within 5 % of the best, the lowest p99, then the least memory (PSS, which does not
 * count shared pages twice). The evidence is printed beside the recommendation.
 */
public final class Tune {

    /** Within this share of the best throughput, candidates count as equally fast. */
    static final double SAME_SPEED = 0.05;

    public record Options(String appJar, String appClass, String path, int connections, Duration warmup,
                          Duration duration) {
    }

    public record Candidate(String model, int workers, int threads) {

        public String label() {
            return switch (model) {
                case "threads" -> "threads -w " + workers + " --threads " + threads;
                default -> model + " -w " + workers;
            };
        }
    }

    public record Result(Candidate candidate, double throughput, double p50Millis, double p99Millis, long errors,
                         double cpuCores, double pssMiB, double rssMiB, String failure) {

        boolean ok() {
            return failure == null;
        }
    }

    public record Report(Machine machine, Options options, List<Result> ranked, Result recommended,
                         String recommendation) {
    }

    private Tune() {
    }

    /** The candidates: the "2 x cores + 1" rule of thumb among them, so the table shows how it fares. */
    public static List<Candidate> candidates(int cores) {
        return List.of(
                new Candidate("sync", cores, 1),
                new Candidate("sync", 2 * cores + 1, 1),
                new Candidate("threads", 1, 8),
                new Candidate("threads", cores, 8),
                new Candidate("threads", cores, 32),
                new Candidate("virtual", 1, 1),
                new Candidate("virtual", cores, 1),
                new Candidate("async", cores, 1));
    }

    public static Report run(Options options, List<Candidate> candidates, Progress progress)
            throws InterruptedException {
        progress.restart();
        List<Result> results = new ArrayList<>();
        for (Candidate candidate : candidates) {
            progress.step(candidate.label());
            results.add(measure(options, candidate, progress));
        }
        progress.finish();
        List<Result> ranked = rank(results);
        Result best = ranked.isEmpty() || !ranked.getFirst().ok() ? null : ranked.getFirst();
        return new Report(Machine.current(), options, ranked, best, recommendation(best, ranked));
    }

    private static Result measure(Options options, Candidate candidate, Progress progress)
            throws InterruptedException {
        ServerSpec spec = new ServerSpec(candidate.model(), candidate.workers(), candidate.threads(), 1, -1, false,
                options.appJar(), options.appClass());
        long begin = System.nanoTime();
        try (LabServer server = LabServer.start(spec)) {
            server.prime(List.of(options.path()), 2 * candidate.workers());
            // As in the lab: a fresh JVM (and the first use of the load generator) is not what is being compared.
            LoadGenerator.run(new LoadSpec("127.0.0.1", server.port(), RequestMix.of(options.path()),
                    options.connections(), 0, Duration.ZERO, options.warmup().multipliedBy(2), 1));
            progress.serverStarted((System.nanoTime() - begin) / 1e9);
            LoadSpec load = new LoadSpec("127.0.0.1", server.port(), RequestMix.of(options.path()),
                    options.connections(), 0, options.warmup(), options.duration(), 1);
            Probe.Outcome outcome = Probe.run(server, load);
            LoadResult r = outcome.load();
            return new Result(candidate, r.throughput(), r.latencyMillis(50), r.latencyMillis(99), r.errors(),
                    outcome.cpuCores(), outcome.pssMiB(),
                    outcome.processes().stream().mapToDouble(ProcessUsage::rssMiB).sum(),
                    r.requests() == 0 ? "no answer in the measured time" : null);
        } catch (IOException e) {
            return new Result(candidate, 0, 0, 0, 0, 0, 0, 0, e.getMessage().lines().findFirst().orElse("failed"));
        }
    }

    /** Failed or erroring candidates last; then by throughput, equal speeds by p99, then memory. */
    static List<Result> rank(List<Result> results) {
        double best = results.stream().filter(r -> r.ok() && r.errors() == 0).mapToDouble(Result::throughput)
                .max().orElse(0);
        Comparator<Result> order = Comparator.<Result, Boolean>comparing(r -> !(r.ok() && r.errors() == 0))
                .thenComparing(r -> r.throughput() < best * (1 - SAME_SPEED))
                .thenComparing(r -> r.throughput() >= best * (1 - SAME_SPEED) ? r.p99Millis() : -r.throughput())
                .thenComparingDouble(Result::pssMiB);
        return results.stream().sorted(order).toList();
    }

    private static String recommendation(Result best, List<Result> ranked) {
        if (best == null) {
            return "no candidate served the path without errors; see the failures above";
        }
        double fastest = ranked.stream().filter(Result::ok).mapToDouble(Result::throughput).max().orElse(0);
        Result ruleOfThumb = ranked.stream().filter(r -> r.candidate().model().equals("sync")
                && r.candidate().workers() > Runtime.getRuntime().availableProcessors()).findFirst().orElse(null);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "herd serve -k %s: %.0f req/s (fastest measured: %.0f), p99 %.1f ms, %.0f MiB PSS in all",
                best.candidate().label(), best.throughput(), fastest, best.p99Millis(), best.pssMiB()));
        if (ruleOfThumb != null && ruleOfThumb != best && ruleOfThumb.ok()) {
            text.append(String.format(Locale.ROOT, "; the 2 x cores + 1 rule (%s) gave %.0f req/s, p99 %.1f ms,"
                            + " %.0f MiB", ruleOfThumb.candidate().label(), ruleOfThumb.throughput(),
                    ruleOfThumb.p99Millis(), ruleOfThumb.pssMiB()));
        }
        return text.toString();
    }

    public static String render(Report report) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "herd tune on %d cores: %s %s, GET %s, %d connections, %.1f s measured after %.1f s warm-up%n%n",
                report.machine().cores(), report.options().appJar().isEmpty() ? "demo app" : report.options().appJar(),
                report.options().appClass(), report.options().path(), report.options().connections(),
                report.options().duration().toMillis() / 1000.0, report.options().warmup().toMillis() / 1000.0));
        out.append(String.format(Locale.ROOT, "%-4s  %-28s  %9s  %8s  %8s  %6s  %5s  %8s  %s%n", "rank",
                "configuration",
                "req/s", "p50 ms", "p99 ms", "errors", "CPU", "PSS MiB", "RSS MiB"));
        int rank = 1;
        for (Result r : report.ranked()) {
            if (r.ok()) {
                out.append(String.format(Locale.ROOT, "%-4d  %-28s  %9.0f  %8.1f  %8.1f  %6d  %5.2f  %8.0f  %.0f%n",
                        rank++, r.candidate().label(), r.throughput(), r.p50Millis(), r.p99Millis(), r.errors(),
                        r.cpuCores(), r.pssMiB(), r.rssMiB()));
            } else {
                out.append(String.format(Locale.ROOT, "%-4s  %-28s  failed: %s%n", "-", r.candidate().label(),
                        r.failure()));
            }
        }
        out.append("\nrecommended: ").append(report.recommendation()).append('\n');
        return out.toString();
    }
}
