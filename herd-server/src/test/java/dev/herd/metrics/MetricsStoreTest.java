package dev.herd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsStoreTest {

    private static final double[] BOUNDS = {0.1, 1};

    private static Sample requests(double increase) {
        return Sample.counter("app_requests", false, List.of("route", "/a"), increase);
    }

    private static Sample durations(long... counts) {
        return Sample.histogram("d_seconds", false, List.of(), BOUNDS, counts, counts.length * 0.5);
    }

    private static Sample value(Map<String, List<Sample>> families, String name, List<String> labels) {
        return families.get(name).stream().filter(s -> s.labels().equals(labels)).findFirst().orElseThrow();
    }

    @Test
    void countersFromEveryWorkerAddUpAndStayWhenAWorkerGoes() {
        MetricsStore store = new MetricsStore();
        store.add(101, 1, List.of(requests(3)));
        store.add(102, 2, List.of(requests(4)));
        store.add(101, 1, List.of(requests(2)));
        store.gone(101);
        // Its replacement in slot 1 starts from zero; the total does not.
        store.add(103, 1, List.of(requests(1)));
        assertThat(value(store.snapshot(List.of()), "app_requests", List.of("route", "/a")).value()).isEqualTo(10);
    }

    @Test
    void histogramsMergeBucketByBucket() {
        MetricsStore store = new MetricsStore();
        store.add(101, 1, List.of(durations(1, 2, 0)));
        store.add(102, 2, List.of(durations(0, 1, 5)));
        Sample merged = value(store.snapshot(List.of()), "d_seconds", List.of());
        assertThat(merged.counts()).containsExactly(1, 3, 5);
        assertThat(merged.count()).isEqualTo(9);
        assertThat(merged.value()).isEqualTo(3.0);
    }

    @Test
    void gaugesCountOnlyWhileTheirWorkerLivesAndPerWorkerOnesGetTheSlot() {
        MetricsStore store = new MetricsStore();
        store.add(101, 1, List.of(Sample.gauge("active", false, List.of(), 2),
                Sample.gauge("heap_bytes", true, List.of(), 100)));
        store.add(102, 2, List.of(Sample.gauge("active", false, List.of(), 3),
                Sample.gauge("heap_bytes", true, List.of(), 200)));
        Map<String, List<Sample>> now = store.snapshot(List.of());
        assertThat(value(now, "active", List.of()).value()).isEqualTo(5);
        assertThat(value(now, "heap_bytes", List.of("worker", "2")).value()).isEqualTo(200);
        store.gone(102);
        now = store.snapshot(List.of());
        assertThat(value(now, "active", List.of()).value()).isEqualTo(2);
        assertThat(now.get("heap_bytes")).extracting(Sample::labels).containsExactly(List.of("worker", "1"));
    }

    @Test
    void aSampleThatContradictsTheStoreIsLeftOutAndTheRestTaken() {
        MetricsStore store = new MetricsStore();
        store.add(101, 1, List.of(requests(1), durations(1, 0, 0)));
        List<Sample> contradicting = List.of(requests(5),
                Sample.histogram("d_seconds", false, List.of(), new double[]{0.5}, new long[]{1, 1}, 1));
        assertThat(store.add(102, 2, contradicting)).singleElement().asString()
                .startsWith("d_seconds is a histogram with buckets [0.1, 1.0] here");
        assertThat(store.add(102, 2, List.of(Sample.gauge("app_requests", false, List.of(), 1))))
                .singleElement().asString().contains("counter here; the worker reports a gauge");
        Map<String, List<Sample>> now = store.snapshot(List.of());
        assertThat(value(now, "app_requests", List.of("route", "/a")).value()).isEqualTo(6);
        assertThat(value(now, "d_seconds", List.of()).counts()).containsExactly(1, 0, 0);
    }

    @Test
    void theMastersOwnCountsAndGaugesJoinTheRest() {
        MetricsStore store = new MetricsStore();
        store.count("restarts", List.of("cause", "crash"), 1);
        store.count("restarts", List.of("cause", "crash"), 1);
        store.observe("boot_seconds", List.of(), BOUNDS, 0.5);
        Map<String, List<Sample>> now = store.snapshot(List.of(Sample.gauge("workers", false, List.of(), 4)));
        assertThat(value(now, "restarts", List.of("cause", "crash")).value()).isEqualTo(2);
        assertThat(value(now, "boot_seconds", List.of()).counts()).containsExactly(0, 1, 0);
        assertThat(value(now, "workers", List.of()).value()).isEqualTo(4);
    }
}
