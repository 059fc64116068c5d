package dev.herd.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The master's merge of what its workers report, and of its own counts. Counters and histograms
 * are totals the master keeps: a worker's increases are added as they arrive and stay added after
 * it exits, so no total goes back when a worker dies, recycles or a reload replaces a
 * generation (a killed worker's counts since its last report, a second at most, are lost).
 * Histograms merge bucket by bucket, which is exact because every worker uses the same bounds.
 * Gauges count only while their worker lives. Series marked per worker get the label
 * {@code worker} with the slot, never the pid, so a replaced worker's series goes on; a
 * slot's two processes during a reload add up in it. Nothing is kept on disk.
 *
 * <p>Confined to the master's thread.
 */
public final class MetricsStore {

    /** What the whole store holds for one metric name. */
    private static final class Family {
        final Sample.Kind kind;
        final double[] bounds;
        String help = "";
        /** Counters and histograms, by labels (with the worker label, when per worker). */
        final Map<List<String>, Total> totals = new LinkedHashMap<>();

        Family(Sample.Kind kind, double[] bounds) {
            this.kind = kind;
            this.bounds = bounds;
        }
    }

    private static final class Total {
        double value;
        long[] counts;
    }

    private final Map<String, Family> families = new TreeMap<>();
    /** Live workers' gauges: pid, then the samples of its last report, labels already with the slot. */
    private final Map<Long, List<Sample>> gauges = new HashMap<>();

    /**
     * Adds a worker's report. A sample that contradicts what the store holds under its name
     * (another kind, other buckets: an app whose new version changed a histogram, say) is left
     * out, as the totals could not be merged with it; the rest is taken.
     *
     * @return what was left out and why, empty when nothing was
     */
    public List<String> add(long pid, int slot, List<Sample> report) {
        List<String> problems = new ArrayList<>();
        List<Sample> taken = new ArrayList<>(report.size());
        for (Sample sample : report) {
            Family known = families.get(sample.name());
            if (known == null) {
                families.put(sample.name(), new Family(sample.kind(), sample.bounds()));
            } else if (known.kind != sample.kind() || !Arrays.equals(known.bounds, sample.bounds())) {
                problems.add(sample.name() + " is a " + name(known.kind, known.bounds) + " here; the worker reports a "
                        + name(sample.kind(), sample.bounds()));
                continue;
            }
            taken.add(sample);
        }
        List<Sample> live = new ArrayList<>();
        for (Sample sample : taken) {
            if (!sample.help().isEmpty()) {
                families.get(sample.name()).help = sample.help();
            }
            List<String> labels = sample.perWorker() ? withWorker(slot, sample.labels()) : sample.labels();
            if (sample.kind() == Sample.Kind.GAUGE) {
                live.add(Sample.gauge(sample.name(), sample.perWorker(), labels, sample.value()).withHelp(sample.help()));
            } else {
                add(families.get(sample.name()), labels, sample.value(), sample.counts());
            }
        }
        gauges.put(pid, live);
        return problems;
    }

    private static String name(Sample.Kind kind, double[] bounds) {
        String text = kind.name().toLowerCase(java.util.Locale.ROOT);
        return kind == Sample.Kind.HISTOGRAM ? text + " with buckets " + Arrays.toString(bounds) : text;
    }

    /** The worker exited: its gauges go; its totals stay. */
    public void gone(long pid) {
        gauges.remove(pid);
    }

    /** The master's own counter. */
    public void count(String name, List<String> labels, double increase) {
        add(families.computeIfAbsent(name, n -> new Family(Sample.Kind.COUNTER, new double[0])), labels, increase,
                new long[0]);
    }

    /** The master's own histogram. */
    public void observe(String name, List<String> labels, double[] bounds, double value) {
        Histogram one = new Histogram(bounds, Histogram.NANOS);
        one.observe(value);
        Sample sample = one.delta(name, false, labels);
        add(families.computeIfAbsent(name, n -> new Family(Sample.Kind.HISTOGRAM, bounds)), labels, value,
                sample.counts());
    }

    /**
     * Every series now, by family name: the totals, the live workers' gauges (summed where the
     * same labels come from more than one), then {@code extraGauges} (the master's own).
     */
    public Map<String, List<Sample>> snapshot(List<Sample> extraGauges) {
        Map<String, List<Sample>> out = new TreeMap<>();
        for (Map.Entry<String, Family> entry : families.entrySet()) {
            Family family = entry.getValue();
            List<Sample> samples = out.computeIfAbsent(entry.getKey(), n -> new ArrayList<>());
            for (Map.Entry<List<String>, Total> total : family.totals.entrySet()) {
                Total t = total.getValue();
                samples.add(new Sample(entry.getKey(), family.kind, false, total.getKey(), t.value, family.bounds,
                        t.counts.clone(), family.help));
            }
        }
        Map<String, Map<List<String>, Double>> summed = new TreeMap<>();
        for (List<Sample> live : gauges.values()) {
            for (Sample gauge : live) {
                summed.computeIfAbsent(gauge.name(), n -> new LinkedHashMap<>()).merge(gauge.labels(), gauge.value(),
                        Double::sum);
            }
        }
        for (Sample gauge : extraGauges) {
            summed.computeIfAbsent(gauge.name(), n -> new LinkedHashMap<>()).merge(gauge.labels(), gauge.value(),
                    Double::sum);
        }
        summed.forEach((name, byLabels) -> {
            List<Sample> samples = out.computeIfAbsent(name, n -> new ArrayList<>());
            String help = families.containsKey(name) ? families.get(name).help : "";
            byLabels.forEach((labels, value) -> samples.add(Sample.gauge(name, false, labels, value).withHelp(help)));
        });
        return out;
    }

    private static void add(Family family, List<String> labels, double value, long[] counts) {
        Total total = family.totals.computeIfAbsent(labels, l -> {
            Total fresh = new Total();
            fresh.counts = new long[counts.length];
            return fresh;
        });
        total.value += value;
        for (int i = 0; i < counts.length; i++) {
            total.counts[i] += counts[i];
        }
    }

    static List<String> withWorker(int slot, List<String> labels) {
        List<String> out = new ArrayList<>(labels.size() + 2);
        out.add("worker");
        out.add(Integer.toString(slot));
        out.addAll(labels);
        return List.copyOf(out);
    }
}
