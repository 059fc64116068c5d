package dev.herd.api.metrics;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.BiConsumer;

/** A count that only goes up. Made by {@link Metrics#counter}. */
public final class Counter extends Metric {

    Counter(String name, String help, List<String> labelNames) {
        super(name, help, labelNames);
    }

    /** Adds one to the series of these label values (none when the counter has no labels). */
    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    /** Adds {@code amount}, which must not be negative. */
    public void add(double amount, String... labelValues) {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException(name() + ": a counter only goes up, by a finite amount; got " + amount);
        }
        this.<DoubleAdder>series(labelValues, v -> new DoubleAdder()).add(amount);
    }

    /** The count of one series so far in this process. */
    public double value(String... labelValues) {
        return this.<DoubleAdder>series(labelValues, v -> new DoubleAdder()).sum();
    }

    /** Each series' total so far; for herd's worker. */
    public void forEach(BiConsumer<List<String>, Double> action) {
        this.<DoubleAdder>forEachSeries((values, adder) -> action.accept(values, adder.sum()));
    }
}
