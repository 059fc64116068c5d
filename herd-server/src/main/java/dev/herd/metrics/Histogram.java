package dev.herd.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram with fixed buckets, written from any thread without a lock (one adder per bucket)
 * and read by one reporter, which sends what was added since its previous read. Every worker
 * uses the same bounds for the same metric, which is what lets the master merge them exactly.
 */
public final class Histogram {

    /** OpenTelemetry's default for {@code http.server.request.duration}, in seconds. */
    public static final double[] DURATION_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5,
            5, 7.5, 10};
    /** Finer at the low end: a request usually waits for a thread far less than it runs. */
    public static final double[] QUEUE_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    public static final double[] BODY_BYTES = {0, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
            16777216, 67108864};
    /** OpenTelemetry's advice for {@code jvm.gc.duration}. */
    public static final double[] GC_SECONDS = {0.01, 0.1, 1, 10};

    /** Nanoseconds: what durations are observed in. */
    public static final double NANOS = 1e-9;

    private final double[] bounds;
    /** The bounds in the unit observations come in, so that an observation is compared as a long. */
    private final long[] rawBounds;
    private final double unit;
    private final LongAdder[] buckets;
    private final LongAdder sum = new LongAdder();
    // The reporter's previous read.
    private final long[] reported;
    private long reportedSum;

    /** A histogram of values observed as they are (bytes, say). */
    public Histogram(double[] bounds) {
        this(bounds, 1);
    }

    /**
     * @param bounds the bucket bounds, in the unit reported (seconds)
     * @param unit   what one observed unit is worth in that unit ({@link #NANOS} for durations
     *               observed in nanoseconds and reported in seconds)
     */
    public Histogram(double[] bounds, double unit) {
        this.bounds = bounds;
        this.unit = unit;
        this.rawBounds = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            rawBounds[i] = (long) Math.floor(bounds[i] / unit + 1e-6);
        }
        this.buckets = new LongAdder[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
        this.reported = new long[buckets.length];
    }

    /**
     * One observation, in the histogram's unit (nanoseconds for a duration): a scan of a few
     * longs and two adder increments, no allocation, no lock.
     */
    public void observeRaw(long raw) {
        int i = 0;
        while (i < rawBounds.length && raw > rawBounds[i]) {
            i++;
        }
        buckets[i].increment();
        sum.add(raw);
    }

    /** One observation in the reported unit (seconds for a duration). */
    public void observe(double value) {
        observeRaw(Math.round(value / unit));
    }

    /**
     * What was observed since the previous call, or null when nothing was. One reporter thread
     * at a time: an observation that lands while this reads is counted in the next report.
     */
    public Sample delta(String name, boolean perWorker, List<String> labels) {
        long[] counts = new long[buckets.length];
        boolean any = false;
        for (int i = 0; i < buckets.length; i++) {
            long now = buckets[i].sum();
            counts[i] = now - reported[i];
            reported[i] = now;
            any |= counts[i] != 0;
        }
        long nowSum = sum.sum();
        double sumIncrease = (nowSum - reportedSum) * unit;
        reportedSum = nowSum;
        return any ? Sample.histogram(name, perWorker, labels, bounds, counts, sumIncrease) : null;
    }
}
