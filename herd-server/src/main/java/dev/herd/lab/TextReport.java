package dev.herd.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The terminal report: one table per workload, shaped like the seed's (form, cores,
 * concurrency or parallelism) followed by the measured figures, then the seed's claims with
 * their verdicts. Per-process figures read "master/worker": the master, then the workers' mean;
 * "conns" is how the load's connections were split among the workers.
 */
public final class TextReport {

    private static final String[] HEADER = {"form", "cores", "seed says", "req/s", "p50 ms", "p99 ms", "p99.9 ms",
        "x 1x1", "CPU", "vcsw/s", "ivcsw/s", "procs", "conns", "threads", "RSS MiB", "PSS MiB", "errors"};

    private TextReport() {
    }

    public static String render(LabReport report) {
        StringBuilder out = new StringBuilder();
        LabOptions o = report.options();
        out.append(String.format(Locale.ROOT, "herd lab on %d cores (%s), %s%n", report.machine().cores(),
                report.machine().cpu(), report.machine().jdk()));
        out.append(String.format(Locale.ROOT, "load: %d connections, %s, %.1f s measured after %.1f s warm-up%s%n",
                o.connections(), o.rate() > 0 ? String.format(Locale.ROOT, "%.0f req/s constant rate", o.rate())
                        : "closed loop", o.duration().toMillis() / 1000.0, o.warmup().toMillis() / 1000.0,
                o.gil() ? "; emulated GIL in every worker (Python's behaviour)" : ""));
        for (String workload : o.workloads()) {
            List<Measurement> rows = report.measurements().stream().filter(m -> m.workload().equals(workload)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            out.append('\n').append(describe(workload, o)).append('\n');
            out.append(table(rows));
        }
        out.append("\nThe seed's claims, judged from these numbers:\n");
        for (Verdict verdict : report.verdicts()) {
            out.append(String.format(Locale.ROOT, "  %-74s %s, %s%n", verdict.claim() + ":", verdict.outcome().text(),
                    verdict.evidence()));
        }
        return out.toString();
    }

    static String describe(String workload, LabOptions o) {
        return o.workloadList().stream().filter(w -> w.name().equals(workload)).findFirst()
                .map(Workload::description).orElse(workload);
    }

    private static String table(List<Measurement> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Measurement m : rows) {
            cells.add(new String[] {m.form(), m.cores().equals("one") ? "1" : "all", m.seedSays(),
                fmt("%.0f", m.throughput()), fmt("%.1f", m.p50Millis()), fmt("%.1f", m.p99Millis()),
                fmt("%.1f", m.p999Millis()), fmt("%.2fx", m.speedup()), fmt("%.2f", m.cpuCores()),
                fmt("%.0f", m.voluntarySwitchesPerSecond()), fmt("%.0f", m.involuntarySwitchesPerSecond()),
                "1+" + m.workerProcesses().size(), m.connectionSplit(),
                fmt("%d/%.0f", m.master().threads(), m.workerAverage(ProcessUsage::threads)),
                fmt("%.0f/%.0f", m.master().rssMiB(), m.workerAverage(ProcessUsage::rssMiB)),
                fmt("%.0f/%.0f", m.master().pssMiB(), m.workerAverage(ProcessUsage::pssMiB)),
                Long.toString(m.errors())});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean text = i <= 2;
                line.append(text ? String.format("%-" + widths[i] + "s", row[i])
                        : String.format("%" + widths[i] + "s", row[i]));
                line.append(i == row.length - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
