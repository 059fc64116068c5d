package dev.herd.api.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsTest {

    @Test
    void countersGaugesAndHistogramsKeepOneSeriesPerLabelValues() {
        Counter orders = Metrics.counter("test_orders", "Orders.", "country");
        orders.inc("fr");
        orders.add(2, "fr");
        orders.inc("jp");
        assertThat(orders.value("fr")).isEqualTo(3);
        List<String> seen = new ArrayList<>();
        orders.forEach((values, total) -> seen.add(values + "=" + total));
        assertThat(seen).containsExactlyInAnyOrder("[fr]=3.0", "[jp]=1.0");

        Gauge open = Metrics.gauge("test_open", "Open.");
        open.set(5);
        open.dec();
        assertThat(open.value()).isEqualTo(4);

        Histogram sizes = Metrics.histogram("test_size_bytes", "Sizes.", new double[]{10, 100});
        sizes.observe(10);
        sizes.observe(11);
        sizes.observe(1e6);
        sizes.forEach((values, counts, sum) -> {
            assertThat(counts).containsExactly(1, 1, 1);
            assertThat(sum).isEqualTo(1_000_021);
        });
    }

    @Test
    void theSameNameGivesTheSameMetricUnlessItsShapeDiffers() {
        Counter first = Metrics.counter("test_again", "Again.", "a");
        assertThat(Metrics.counter("test_again", "Again.", "a")).isSameAs(first);
        assertThatThrownBy(() -> Metrics.counter("test_again", "Again.", "b"))
                .hasMessageContaining("already registered as counter with labels [a]");
        assertThatThrownBy(() -> Metrics.gauge("test_again", "Again.", "a")).isInstanceOf(IllegalArgumentException.class);
        Metrics.histogram("test_buckets_seconds", "B.", new double[]{1, 2});
        assertThatThrownBy(() -> Metrics.histogram("test_buckets_seconds", "B.", new double[]{1, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badNamesLabelsAndValuesAreRefusedWithWhy() {
        assertThatThrownBy(() -> Metrics.counter("bad-name", "")).hasMessageContaining("not a metric name");
        assertThatThrownBy(() -> Metrics.counter("x_total", "")).hasMessageContaining("without _total");
        assertThatThrownBy(() -> Metrics.counter("http_mine", "")).hasMessageContaining("herd's");
        assertThatThrownBy(() -> Metrics.counter("test_l", "", "le")).hasMessageContaining("not a label name");
        assertThatThrownBy(() -> Metrics.counter("test_w", "", "worker")).hasMessageContaining("not a label name");
        assertThatThrownBy(() -> Metrics.histogram("test_h", "", new double[]{2, 1}))
                .hasMessageContaining("increasing");
        Counter counter = Metrics.counter("test_down", "", "k");
        assertThatThrownBy(() -> counter.add(-1, "v")).hasMessageContaining("only goes up");
        assertThatThrownBy(() -> counter.inc()).hasMessageContaining("has labels [k]; got 0 values");
    }
}
