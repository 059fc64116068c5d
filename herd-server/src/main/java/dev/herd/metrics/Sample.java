package dev.herd.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * One series as a worker reports it to the master. Counters and histograms travel as what was
 * added since the worker's previous report, so the master only ever adds them up: what a worker
 * reported stays counted after it exits, and a total never goes back. Gauges travel as their
 * value now and count only while their worker lives.
 *
 * @param name      the Prometheus name: no {@code _total} on a counter, and the unit in it
 * @param perWorker the master labels it with the worker's slot ({@code worker="2"}); otherwise the
 *                  master sums it over every worker
 * @param labels    label names and values, alternating: {@code [method, GET, status, 200]}
 * @param value     a counter's increase, a gauge's value, a histogram's increase of its sum
 * @param bounds    a histogram's bucket upper bounds, increasing, without +Inf; empty otherwise
 * @param counts    a histogram's increase per bucket (not cumulative), the last for +Inf; one
 *                  more than {@code bounds}; empty otherwise
 * @param help      what the metric means, for an app's own (herd's are in {@link Catalog}); empty if none
 */
public record Sample(String name, Kind kind, boolean perWorker, List<String> labels, double value, double[] bounds,
                     long[] counts, String help) {

    public enum Kind { COUNTER, GAUGE, HISTOGRAM }

    private static final double[] NO_BOUNDS = {};
    private static final long[] NO_COUNTS = {};

    public static Sample counter(String name, boolean perWorker, List<String> labels, double increase) {
        return new Sample(name, Kind.COUNTER, perWorker, labels, increase, NO_BOUNDS, NO_COUNTS, "");
    }

    public static Sample gauge(String name, boolean perWorker, List<String> labels, double value) {
        return new Sample(name, Kind.GAUGE, perWorker, labels, value, NO_BOUNDS, NO_COUNTS, "");
    }

    public static Sample histogram(String name, boolean perWorker, List<String> labels, double[] bounds,
                                   long[] counts, double sumIncrease) {
        return new Sample(name, Kind.HISTOGRAM, perWorker, labels, sumIncrease, bounds, counts, "");
    }

    /** The same sample with {@code help}. */
    public Sample withHelp(String help) {
        return new Sample(name, kind, perWorker, labels, value, bounds, counts, help);
    }

    /** The number of observations a histogram sample adds. */
    public long count() {
        return Arrays.stream(counts).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sample s && name.equals(s.name) && kind == s.kind && perWorker == s.perWorker
                && labels.equals(s.labels) && Double.compare(value, s.value) == 0 && Arrays.equals(bounds, s.bounds)
                && Arrays.equals(counts, s.counts) && help.equals(s.help);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + labels.hashCode();
    }

    @Override
    public String toString() {
        return kind + " " + name + labels + "=" + value + (counts.length == 0 ? "" : Arrays.toString(counts));
    }
}
