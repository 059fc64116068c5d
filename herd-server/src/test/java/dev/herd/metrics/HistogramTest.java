package dev.herd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramTest {

    @Test
    void eachReportCarriesWhatWasObservedSinceThePreviousOne() {
        Histogram histogram = new Histogram(new double[]{1, 10}, Histogram.NANOS);
        histogram.observe(0.5);
        histogram.observeRaw(1_000_000_000); // bounds are inclusive, as Prometheus's le says
        histogram.observe(50);
        Sample first = histogram.delta("h", false, List.of());
        assertThat(first.counts()).containsExactly(2, 0, 1);
        assertThat(first.value()).isEqualTo(51.5);
        assertThat(histogram.delta("h", false, List.of())).isNull();
        histogram.observe(5);
        assertThat(histogram.delta("h", false, List.of()).counts()).containsExactly(0, 1, 0);
        Histogram bytes = new Histogram(new double[]{64, 256});
        bytes.observeRaw(64);
        bytes.observeRaw(65);
        Sample sizes = bytes.delta("b", false, List.of());
        assertThat(sizes.counts()).containsExactly(1, 1, 0);
        assertThat(sizes.value()).isEqualTo(129);
    }

    @Test
    void requestsAreCountedByMethodAndStatusAndUnknownMethodsShareOneSeries() {
        HttpMetrics metrics = new HttpMetrics(true);
        metrics.answered("GET", 200, null, 0, 10, 1_000_000);
        metrics.answered("GET", 200, null, 0, 10, 1_000_000);
        metrics.answered("BREW", 400, null, -1, 0, 1_000_000);
        metrics.answered("PROPFIND", 400, null, -1, 0, 1_000_000);
        metrics.answered("GET", 200, "/users/{id}", 0, 10, 1_000_000);
        List<Sample> out = new java.util.ArrayList<>();
        metrics.collect(out);
        List<Sample> durations = out.stream().filter(s -> s.name().equals(Catalog.REQUEST_DURATION)).toList();
        assertThat(durations).extracting(Sample::labels, Sample::count).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(List.of("http_request_method", "GET",
                        "http_response_status_code", "200"), 2L),
                org.assertj.core.groups.Tuple.tuple(List.of("http_request_method", "_OTHER",
                        "http_response_status_code", "400"), 2L),
                org.assertj.core.groups.Tuple.tuple(List.of("http_request_method", "GET",
                        "http_response_status_code", "200", "http_route", "/users/{id}"), 1L));
        // Bodies of unknown size are not guessed, and requests without one have no body size.
        assertThat(out.stream().filter(s -> s.name().equals(Catalog.REQUEST_BODY_SIZE))).isEmpty();
        metrics.answered("POST", 201, null, 300, 10, 1_000_000);
        List<Sample> next = new java.util.ArrayList<>();
        metrics.collect(next);
        assertThat(next.stream().filter(s -> s.name().equals(Catalog.REQUEST_BODY_SIZE)).findFirst().orElseThrow()
                .value()).isEqualTo(300);
    }
}
