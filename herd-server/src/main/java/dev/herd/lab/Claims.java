package dev.herd.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seed's claims, each judged from the measured speed-ups (throughput against 1x1 on one
 * core, same workload). The thresholds are deliberately coarse: "no speed-up" is under 1.25x;
 * "parallel" is at least half of each extra core's worth (1.5x on 2 cores: the load generator
 * shares the machine); "concurrent I/O" is at least half of the M threads' worth.
 */
final class Claims {

    static final double NO_SPEEDUP = 1.25;

    private final List<Measurement> rows;
    private final LabOptions options;
    private final int cores;
    private final List<Verdict> verdicts = new ArrayList<>();

    private Claims(List<Measurement> rows, LabOptions options) {
        this.rows = rows;
        this.options = options;
        this.cores = Runtime.getRuntime().availableProcessors();
    }

    static List<Verdict> judge(List<Measurement> rows, LabOptions options) {
        Claims claims = new Claims(rows, options);
        claims.judgeAll();
        return List.copyOf(claims.verdicts);
    }

    private void judgeAll() {
        String n = Integer.toString(options.processes());
        String m = Integer.toString(options.threads());
        String nm = n + "x" + m;
        double parallel = 1 + 0.5 * (cores - 1);
        double concurrent = options.threads() / 2.0;
        below("1 core, CPU-bound: threads give no speed-up", "1x" + m, "one", "cpu", NO_SPEEDUP);
        below("1 core, CPU-bound: processes give no speed-up", n + "x1", "one", "cpu", NO_SPEEDUP);
        contextSwitches(nm);
        oneCoreOnly();
        if (options.gil()) {
            // Against the same form pinned to one core, so what is judged is the lock, not the
            // event-loop thread every herd worker has beside its handler threads.
            noGainFromCores("all cores, CPU-bound, with a GIL: threads gain nothing from more cores (Python)",
                    "1x" + m);
            noGainFromCores("all cores, CPU-bound, with a GIL: virtual threads gain nothing from more cores",
                    "virtual");
        } else {
            atLeast("all cores, CPU-bound: threads run in parallel (no GIL in Java)", "1x" + m, "all", "cpu",
                    parallel);
            atLeast("all cores, CPU-bound: virtual threads run in parallel", "virtual", "all", "cpu", parallel);
        }
        atLeast("all cores, CPU-bound: processes run in parallel" + (options.gil() ? " (one GIL each)" : ""),
                n + "x1", "all", "cpu", parallel);
        atLeast("all cores, CPU-bound: processes x threads run in parallel", nm, "all", "cpu", parallel);
        noGainFromCores("all cores, CPU-bound: one event loop does not run in parallel", "async");
        atLeast("1 core, I/O-bound: threads give concurrency" + (options.gil() ? " (the GIL is released)" : ""),
                "1x" + m, "one", "io", concurrent);
        atLeast("1 core, I/O-bound: one event loop gives concurrency", "async", "one", "io", concurrent);
        atLeast("1 core, I/O-bound: virtual threads give concurrency", "virtual", "one", "io", concurrent);
    }

    private Optional<Measurement> find(String form, String cores, String workload) {
        return rows.stream().filter(r -> r.form().equals(form) && r.cores().equals(cores)
                && r.workload().equals(workload)).findFirst();
    }

    private void below(String claim, String form, String cores, String workload, double limit) {
        find(form, cores, workload).filter(Claims::comparable).ifPresentOrElse(
                row -> add(claim, row.speedup() < limit, String.format("%s %s: %.2fx (under %.2fx needed)", form,
                        coresText(cores), row.speedup(), limit)),
                () -> missing(claim));
    }

    private void atLeast(String claim, String form, String cores, String workload, double limit) {
        find(form, cores, workload).filter(Claims::comparable).ifPresentOrElse(
                row -> add(claim, row.speedup() >= limit, String.format("%s %s: %.2fx (%.2fx or more needed)", form,
                        coresText(cores), row.speedup(), limit)),
                () -> missing(claim));
    }

    /** The seed: on one core, many processes of many threads switch context the most. */
    private void contextSwitches(String nm) {
        String claim = "1 core: processes x threads switch context more than 1x1";
        Optional<Measurement> base = find("1x1", "one", "cpu");
        Optional<Measurement> many = find(nm, "one", "cpu");
        if (base.isEmpty() || many.isEmpty()) {
            missing(claim);
            return;
        }
        double perRequestBase = switchesPerRequest(base.get());
        double perRequestMany = switchesPerRequest(many.get());
        add(claim, perRequestMany > perRequestBase, String.format(
                "CPU-bound, context switches per request: %s %.1f, 1x1 %.1f", nm, perRequestMany, perRequestBase));
    }

    private static double switchesPerRequest(Measurement row) {
        double perSecond = row.voluntarySwitchesPerSecond() + row.involuntarySwitchesPerSecond();
        return row.throughput() > 0 ? perSecond / row.throughput() : 0;
    }

    private void oneCoreOnly() {
        noGainFromCores("all cores, 1 process x 1 thread: uses one core only", "1x1");
    }

    /**
     * A form that cannot use a second core gains nothing from it: judged against the same form
     * pinned to one core (not against 1x1), so the form's own overheads cancel out.
     */
    private void noGainFromCores(String claim, String form) {
        Optional<Measurement> one = find(form, "one", "cpu").filter(Claims::comparable);
        Optional<Measurement> all = find(form, "all", "cpu").filter(Claims::comparable);
        if (one.isEmpty() || all.isEmpty() || one.get().throughput() <= 0) {
            missing(claim);
            return;
        }
        double gain = all.get().throughput() / one.get().throughput();
        add(claim, gain < NO_SPEEDUP, String.format("%s: all cores %.2fx its 1-core throughput (under %.2fx"
                + " needed), %.2f cores of CPU", form, gain, NO_SPEEDUP, all.get().cpuCores()));
    }

    /** A speed-up needs answers on both sides: with none, the claim is not judged rather than judged wrong. */
    private static boolean comparable(Measurement row) {
        return row.speedup() > 0;
    }

    private static String coresText(String cores) {
        return cores.equals("one") ? "on 1 core" : "on all cores";
    }

    private void add(String claim, boolean holds, String evidence) {
        verdicts.add(new Verdict(claim, holds ? Verdict.Outcome.HOLDS : Verdict.Outcome.DOES_NOT_HOLD, evidence));
    }

    private void missing(String claim) {
        verdicts.add(new Verdict(claim, Verdict.Outcome.NOT_MEASURED,
                "its rows were not in this run or got no answers"));
    }
}
