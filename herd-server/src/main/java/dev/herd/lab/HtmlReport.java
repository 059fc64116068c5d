package dev.herd.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report as one self-contained HTML page: the verdicts, then per workload an inline SVG bar
 * chart (throughput of each form, on one core and on all cores, with its p99) and the full
 * table. No script, no font or stylesheet from the network: it opens anywhere, offline.
 */
public final class HtmlReport {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 320;
    private static final int LEFT = 70;
    private static final int BOTTOM = 50;
    private static final int TOP = 30;
    private static final String ONE_CORE = "#4e79a7";
    private static final String ALL_CORES = "#f28e2b";

    private HtmlReport() {
    }

    public static String render(LabReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>herd lab</title>\n<style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}")
                .append("table{border-collapse:collapse;font-size:13px;margin:8px 0 24px}")
                .append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:right;white-space:nowrap}")
                .append("td:nth-child(-n+3),th{text-align:left}.holds{color:#1a7f37}.not{color:#c62828}")
                .append(".na{color:#888}svg{display:block;margin:8px 0}</style></head><body>\n");
        html.append("<h1>herd lab</h1>\n<p>").append(escape(summary(report))).append("</p>\n");
        html.append("<h2>The seed's claims</h2>\n<ul>\n");
        for (Verdict v : report.verdicts()) {
            String css = switch (v.outcome()) {
                case HOLDS -> "holds";
                case DOES_NOT_HOLD -> "not";
                case NOT_MEASURED -> "na";
            };
            html.append("<li>").append(escape(v.claim())).append(": <b class=\"").append(css).append("\">")
                    .append(v.outcome().text()).append("</b>, ").append(escape(v.evidence())).append("</li>\n");
        }
        html.append("</ul>\n");
        for (String workload : report.options().workloads()) {
            List<Measurement> rows = report.measurements().stream().filter(m -> m.workload().equals(workload)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            html.append("<h2>").append(escape(TextReport.describe(workload, report.options()))).append("</h2>\n");
            html.append(chart(workload, rows));
            html.append(table(rows));
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    private static String summary(LabReport report) {
        LabOptions o = report.options();
        return String.format(Locale.ROOT, "%d cores (%s), %s, %s %s. Load: %d connections, %s, %.1f s measured after"
                        + " %.1f s warm-up.%s Finished %s.", report.machine().cores(), report.machine().cpu(),
                report.machine().jdk(), report.machine().os(), report.machine().kernel(), o.connections(),
                o.rate() > 0 ? String.format(Locale.ROOT, "%.0f req/s constant rate", o.rate()) : "closed loop",
                o.duration().toMillis() / 1000.0, o.warmup().toMillis() / 1000.0,
                o.gil() ? " Emulated GIL in every worker." : "", report.finishedAt());
    }

    /** Grouped bars: one group per form, a bar for one core and one for all cores, labelled with req/s and p99. */
    static String chart(String workload, List<Measurement> rows) {
        List<String> forms = new ArrayList<>();
        rows.forEach(r -> {
            if (!forms.contains(r.form())) {
                forms.add(r.form());
            }
        });
        double max = rows.stream().mapToDouble(Measurement::throughput).max().orElse(1);
        double top = niceCeiling(max);
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double groupWidth = (WIDTH - LEFT - 20) / (double) forms.size();
        double barWidth = groupWidth * 0.36;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" id=\"chart-%s\""
                + " xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-size=\"12\">%n", workload, WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-weight=\"bold\">requests per second"
                + " (label: p99 latency)</text>%n", LEFT));
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            double y = TOP + plotHeight - plotHeight * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", LEFT, y, WIDTH - 20, y, LEFT - 6,
                    y + 4, value));
        }
        for (int f = 0; f < forms.size(); f++) {
            double x0 = LEFT + f * groupWidth + groupWidth * 0.12;
            int bar = 0;
            for (String cores : LabOptions.CORES) {
                String form = forms.get(f);
                Measurement m = rows.stream().filter(r -> r.form().equals(form) && r.cores().equals(cores))
                        .findFirst().orElse(null);
                if (m != null) {
                    double h = plotHeight * m.throughput() / top;
                    double x = x0 + bar * barWidth;
                    double y = TOP + plotHeight - h;
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                                    + " fill=\"%s\"><title>%s, %s: %.0f req/s, p99 %.1f ms</title></rect>%n", x, y,
                            barWidth - 2, h, cores.equals("one") ? ONE_CORE : ALL_CORES, form, coresLabel(cores),
                            m.throughput(), m.p99Millis()));
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\""
                            + " font-size=\"10\">%s</text>%n", x + barWidth / 2 - 1, y - 3, millis(m.p99Millis())));
                }
                bar++;
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x0 + barWidth, HEIGHT - BOTTOM + 16, escape(forms.get(f))));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\">1 core</text><rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\""
                        + " fill=\"%s\"/><text x=\"%d\" y=\"%d\">all cores</text>%n", LEFT, HEIGHT - 22, ONE_CORE,
                LEFT + 16, HEIGHT - 12, LEFT + 80, HEIGHT - 22, ALL_CORES, LEFT + 96, HEIGHT - 12));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String millis(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String coresLabel(String cores) {
        return cores.equals("one") ? "1 core" : "all cores";
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String table(List<Measurement> rows) {
        StringBuilder t = new StringBuilder("<table><tr><th>form</th><th>cores</th><th>seed says</th><th>req/s</th>"
                + "<th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>x 1x1</th><th>CPU cores</th><th>vcsw/s</th>"
                + "<th>ivcsw/s</th><th>processes</th><th>connections</th><th>threads (master/worker)</th><th>RSS MiB</th><th>PSS MiB</th>"
                + "<th>errors</th></tr>\n");
        for (Measurement m : rows) {
            t.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%.0f</td><td>%.1f</td>"
                            + "<td>%.1f</td><td>%.1f</td><td>%.2fx</td><td>%.2f</td><td>%.0f</td><td>%.0f</td>"
                            + "<td>1+%d</td><td>%s</td><td>%d/%.0f</td><td>%.0f/%.0f</td><td>%.0f/%.0f</td><td>%d</td></tr>%n",
                    escape(m.form()), coresLabel(m.cores()), escape(m.seedSays()), m.throughput(), m.p50Millis(),
                    m.p99Millis(), m.p999Millis(), m.speedup(), m.cpuCores(), m.voluntarySwitchesPerSecond(),
                    m.involuntarySwitchesPerSecond(), m.workerProcesses().size(), m.connectionSplit(), m.master().threads(),
                    m.workerAverage(ProcessUsage::threads), m.master().rssMiB(), m.workerAverage(ProcessUsage::rssMiB),
                    m.master().pssMiB(), m.workerAverage(ProcessUsage::pssMiB), m.errors()));
        }
        return t.append("</table>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
