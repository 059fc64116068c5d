package dev.herd.api.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What counters, gauges and histograms share: a name, a help text, label names, and one series
 * per combination of label values, made on first use.
 */
public abstract sealed class Metric permits Counter, Gauge, Histogram {

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, Object> series = new ConcurrentHashMap<>();

    Metric(String name, String help, List<String> labelNames) {
        this.name = name;
        this.help = help == null ? "" : help;
        this.labelNames = List.copyOf(labelNames);
    }

    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** Every series so far, with its label values; for herd's worker, which reports them. */
    @SuppressWarnings("unchecked")
    <S> void forEachSeries(BiConsumer<List<String>, S> action) {
        series.forEach((values, s) -> action.accept(values, (S) s));
    }

    @SuppressWarnings("unchecked")
    <S> S series(String[] labelValues, Function<List<String>, S> make) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + "; got "
                    + labelValues.length + " values");
        }
        for (String value : labelValues) {
            if (value == null) {
                throw new IllegalArgumentException(name + ": a label value is null");
            }
        }
        return (S) series.computeIfAbsent(List.of(labelValues), make::apply);
    }

    boolean sameShape(Metric other) {
        return true;
    }

    String describe() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " with labels " + labelNames;
    }
}
