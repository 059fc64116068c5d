package dev.herd.metrics;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes merged series in the Prometheus text format (version 0.0.4) or in OpenMetrics 1.0, which
 * a scraper gets when its Accept header asks for it. The two differ in little: OpenMetrics names
 * a counter's family without {@code _total}, and ends with {@code # EOF}.
 */
public final class Exposition {

    public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private Exposition() {
    }

    /** Whether a scraper's Accept header asks for OpenMetrics. */
    public static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.contains("application/openmetrics-text");
    }

    public static String render(Map<String, List<Sample>> families, boolean openMetrics) {
        StringBuilder out = new StringBuilder(8192);
        for (Map.Entry<String, List<Sample>> family : families.entrySet()) {
            List<Sample> samples = family.getValue();
            if (samples.isEmpty()) {
                continue;
            }
            String name = family.getKey();
            Sample.Kind kind = samples.getFirst().kind();
            String typeName = kind == Sample.Kind.COUNTER && !openMetrics ? name + "_total" : name;
            String help = Catalog.help(name) != null ? Catalog.help(name)
                    : samples.getFirst().help().isEmpty() ? null : samples.getFirst().help();
            if (help != null) {
                out.append("# HELP ").append(typeName).append(' ').append(escapeHelp(help)).append('\n');
            }
            out.append("# TYPE ").append(typeName).append(' ').append(kind.name().toLowerCase(java.util.Locale.ROOT))
                    .append('\n');
            for (Sample sample : samples) {
                switch (kind) {
                    case COUNTER -> line(out, name + "_total", sample.labels(), null, number(sample.value()));
                    case GAUGE -> line(out, name, sample.labels(), null, number(sample.value()));
                    case HISTOGRAM -> {
                        long cumulative = 0;
                        double[] bounds = sample.bounds();
                        for (int i = 0; i < sample.counts().length; i++) {
                            cumulative += sample.counts()[i];
                            String le = i < bounds.length ? number(bounds[i]) : "+Inf";
                            line(out, name + "_bucket", sample.labels(), le, Long.toString(cumulative));
                        }
                        line(out, name + "_count", sample.labels(), null, Long.toString(cumulative));
                        line(out, name + "_sum", sample.labels(), null, number(sample.value()));
                    }
                }
            }
        }
        if (openMetrics) {
            out.append("# EOF\n");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String name, List<String> labels, String le, String value) {
        out.append(name);
        if (!labels.isEmpty() || le != null) {
            out.append('{');
            for (int i = 0; i < labels.size(); i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels.get(i)).append("=\"").append(escapeValue(labels.get(i + 1))).append('"');
            }
            if (le != null) {
                out.append(labels.isEmpty() ? "" : ",").append("le=\"").append(le).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    /** A float as OpenMetrics wants it: no exponent, and {@code 1.0} rather than {@code 1} for a whole number. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return (long) value + ".0";
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static String escapeValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
