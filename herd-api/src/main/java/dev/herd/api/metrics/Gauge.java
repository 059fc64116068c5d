package dev.herd.api.metrics;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.BiConsumer;

/** A value that goes up and down. Made by {@link Metrics#gauge}. */
public final class Gauge extends Metric {

    Gauge(String name, String help, List<String> labelNames) {
        super(name, help, labelNames);
    }

    public void set(double value, String... labelValues) {
        DoubleAdder series = this.series(labelValues, v -> new DoubleAdder());
        synchronized (series) {
            series.reset();
            series.add(value);
        }
    }

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    public void dec(String... labelValues) {
        add(-1, labelValues);
    }

    public void add(double amount, String... labelValues) {
        DoubleAdder series = this.series(labelValues, v -> new DoubleAdder());
        synchronized (series) {
            series.add(amount);
        }
    }

    public double value(String... labelValues) {
        return this.<DoubleAdder>series(labelValues, v -> new DoubleAdder()).sum();
    }

    /** Each series' value now; for herd's worker. */
    public void forEach(BiConsumer<List<String>, Double> action) {
        this.<DoubleAdder>forEachSeries((values, adder) -> action.accept(values, adder.sum()));
    }
}
