package dev.herd.lab;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured: answers and errors within the measured window, and the latency of
 * each answer in microseconds (from its intended send time under a constant rate).
 */
public record LoadResult(long requests, long errors, double seconds, Histogram latencyMicros) {

    public double throughput() {
        return requests / seconds;
    }

    /** The latency at {@code percentile} (0..100) in milliseconds; 0 when nothing was answered. */
    public double latencyMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMillis() {
        return latencyMicros.getMaxValue() / 1000.0;
    }
}
