package dev.herd.metrics;

import dev.herd.api.metrics.Counter;
import dev.herd.api.metrics.Gauge;
import dev.herd.api.metrics.Metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The app's own metrics ({@code dev.herd.api.metrics}) in the worker's reports: counters and
 * histograms as increases since the previous report, gauges as values. One reporter thread.
 */
public final class AppMetrics {

    /** What was reported last, by metric name and label values: a counter's total, a histogram's counts and sum. */
    private final Map<String, Map<List<String>, double[]>> reported = new HashMap<>();

    public void collect(List<Sample> out) {
        Metrics.forEach(metric -> {
            Map<List<String>, double[]> last = reported.computeIfAbsent(metric.name(), n -> new HashMap<>());
            switch (metric) {
                case Counter counter -> counter.forEach((values, total) -> {
                    double[] before = last.computeIfAbsent(values, v -> new double[1]);
                    if (total > before[0]) {
                        out.add(Sample.counter(metric.name(), false, labels(metric.labelNames(), values),
                                total - before[0]).withHelp(metric.help()));
                        before[0] = total;
                    }
                });
                case Gauge gauge -> gauge.forEach((values, value) -> out.add(Sample.gauge(metric.name(), false,
                        labels(metric.labelNames(), values), value).withHelp(metric.help())));
                case dev.herd.api.metrics.Histogram histogram -> {
                    double[] bounds = histogram.buckets();
                    histogram.forEach((values, counts, sum) -> {
                        // counts..., then the sum
                        double[] before = last.computeIfAbsent(values, v -> new double[counts.length + 1]);
                        long[] increase = new long[counts.length];
                        boolean any = false;
                        for (int i = 0; i < counts.length; i++) {
                            increase[i] = counts[i] - (long) before[i];
                            before[i] = counts[i];
                            any |= increase[i] != 0;
                        }
                        double sumIncrease = sum - before[counts.length];
                        before[counts.length] = sum;
                        if (any) {
                            out.add(Sample.histogram(metric.name(), false, labels(metric.labelNames(), values), bounds,
                                    increase, sumIncrease).withHelp(metric.help()));
                        }
                    });
                }
            }
        });
    }

    private static List<String> labels(List<String> names, List<String> values) {
        List<String> labels = new ArrayList<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            labels.add(names.get(i));
            labels.add(values.get(i));
        }
        return labels;
    }
}
