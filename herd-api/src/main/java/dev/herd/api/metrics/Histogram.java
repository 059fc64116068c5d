package dev.herd.api.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A distribution over fixed buckets. Made by {@link Metrics#histogram}. */
public final class Histogram extends Metric {

    private final double[] buckets;

    Histogram(String name, String help, List<String> labelNames, double[] buckets) {
        super(name, help, labelNames);
        if (buckets.length == 0 || buckets.length > 64) {
            throw new IllegalArgumentException(name + ": between 1 and 64 buckets, got " + buckets.length);
        }
        for (int i = 0; i < buckets.length; i++) {
            if (!Double.isFinite(buckets[i]) || i > 0 && buckets[i] <= buckets[i - 1]) {
                throw new IllegalArgumentException(name + ": bucket bounds must be finite and increasing");
            }
        }
        this.buckets = buckets.clone();
    }

    /** One observation in the series of these label values. */
    public void observe(double value, String... labelValues) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(name() + ": cannot observe NaN");
        }
        this.<Series>series(labelValues, v -> new Series(buckets.length + 1)).observe(buckets, value);
    }

    /** The upper bounds, without +Inf. */
    public double[] buckets() {
        return buckets.clone();
    }

    /** Each series' counts per bucket (not cumulative, the last for +Inf) and sum so far; for herd's worker. */
    public void forEach(SeriesVisitor action) {
        this.<Series>forEachSeries((values, series) -> action.accept(values, series.counts(), series.sum.sum()));
    }

    /** What {@link #forEach} gives for each series. */
    @FunctionalInterface
    public interface SeriesVisitor {
        void accept(List<String> labelValues, long[] counts, double sum);
    }

    @Override
    boolean sameShape(Metric other) {
        return other instanceof Histogram h && Arrays.equals(h.buckets, buckets);
    }

    private static final class Series {
        final LongAdder[] counts;
        final DoubleAdder sum = new DoubleAdder();

        Series(int n) {
            counts = new LongAdder[n];
            for (int i = 0; i < n; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double[] bounds, double value) {
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(value);
        }

        long[] counts() {
            long[] out = new long[counts.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = counts[i].sum();
            }
            return out;
        }
    }

}
