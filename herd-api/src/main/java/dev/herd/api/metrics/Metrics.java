package dev.herd.api.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An app's own metrics: counters, gauges and histograms. Each worker keeps its own and reports
 * them to the master every second; the master merges them with herd's and serves them on the
 * admin listener's {@code /metrics} ({@code --admin-bind}): counters and histograms summed over
 * the workers, never going back when a worker is replaced; gauges summed over the live workers.
 *
 * <pre>{@code
 * static final Counter ORDERS = Metrics.counter("shop_orders", "Orders placed.", "country");
 * static final Histogram PRICE = Metrics.histogram("shop_order_value_euros", "Order values.",
 *         new double[]{10, 50, 100, 500});
 * ...
 * ORDERS.inc("fr");
 * PRICE.observe(order.total());
 * }</pre>
 *
 * <p>Names follow Prometheus's: letters, digits, {@code _} and {@code :}; a counter's name
 * without {@code _total} (herd adds it); the unit at the end ({@code _seconds}, {@code _bytes}).
 * Names starting with {@code herd_}, {@code http_}, {@code jvm_} or {@code process_} are
 * herd's. Registering a name again with the same kind and labels returns the same metric.
 * Outside a herd worker (a unit test) metrics work the same and are simply not exported.
 * All methods are thread-safe and never block.
 */
public final class Metrics {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> RESERVED = List.of("herd_", "http_", "jvm_", "process_");
    private static final Map<String, Metric> REGISTRY = new ConcurrentHashMap<>();

    private Metrics() {
    }

    /** A count that only goes up (requests, errors, bytes). */
    public static Counter counter(String name, String help, String... labelNames) {
        if (name.endsWith("_total")) {
            throw new IllegalArgumentException("name the counter without _total, herd adds it: '" + name + "'");
        }
        return register(new Counter(name, help, List.of(labelNames)), Counter.class);
    }

    /** A value that goes up and down (items in a cache, connections open). */
    public static Gauge gauge(String name, String help, String... labelNames) {
        return register(new Gauge(name, help, List.of(labelNames)), Gauge.class);
    }

    /**
     * A distribution over fixed buckets (durations, sizes): {@code buckets} are the upper
     * bounds, increasing; herd adds {@code +Inf}. Every worker has the same buckets, which is
     * what lets the master merge them exactly.
     */
    public static Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return register(new Histogram(name, help, List.of(labelNames), buckets), Histogram.class);
    }

    /** Every metric registered in this process; herd's worker reads them to report. */
    public static void forEach(Consumer<Metric> action) {
        REGISTRY.values().forEach(action);
    }

    private static <M extends Metric> M register(M metric, Class<M> kind) {
        check(metric);
        Metric existing = REGISTRY.putIfAbsent(metric.name(), metric);
        if (existing == null) {
            return metric;
        }
        if (kind.isInstance(existing) && existing.labelNames().equals(metric.labelNames())
                && existing.sameShape(metric)) {
            return kind.cast(existing);
        }
        throw new IllegalArgumentException("metric '" + metric.name() + "' is already registered as "
                + existing.describe());
    }

    private static void check(Metric metric) {
        String name = metric.name();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: '" + name + "'");
        }
        for (String prefix : RESERVED) {
            if (name.startsWith(prefix)) {
                throw new IllegalArgumentException("names starting with " + prefix + " are herd's: '" + name + "'");
            }
        }
        for (String label : metric.labelNames()) {
            if (!LABEL.matcher(label).matches() || label.startsWith("__") || label.equals("le")
                    || label.equals("worker")) {
                throw new IllegalArgumentException("not a label name for " + name + ": '" + label + "'");
            }
        }
        if (metric.labelNames().stream().distinct().count() != metric.labelNames().size()) {
            throw new IllegalArgumentException("a label twice on " + name);
        }
    }
}
