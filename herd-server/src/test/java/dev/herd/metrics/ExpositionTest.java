package dev.herd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ExpositionTest {

    private static Map<String, List<Sample>> families() {
        Map<String, List<Sample>> families = new TreeMap<>();
        families.put(Catalog.RESTARTS, List.of(Sample.counter(Catalog.RESTARTS, false, List.of("cause", "crash"), 2)));
        families.put("q_seconds", List.of(Sample.histogram("q_seconds", false, List.of("m", "say \"hi\"\n"),
                new double[]{0.0001, 1, 2.5}, new long[]{1, 2, 0, 3}, 7.25)));
        families.put("empty", List.of());
        return families;
    }

    @Test
    void prometheusTextNamesCountersWithTotalAndHistogramsCumulatively() {
        String text = Exposition.render(families(), false);
        assertThat(text).contains("# TYPE herd_worker_restarts_total counter\n")
                .contains("# HELP herd_worker_restarts_total Workers replaced")
                .contains("herd_worker_restarts_total{cause=\"crash\"} 2.0\n")
                .contains("q_seconds_bucket{m=\"say \\\"hi\\\"\\n\",le=\"0.0001\"} 1\n")
                .contains("q_seconds_bucket{m=\"say \\\"hi\\\"\\n\",le=\"1.0\"} 3\n")
                .contains("q_seconds_bucket{m=\"say \\\"hi\\\"\\n\",le=\"2.5\"} 3\n")
                .contains("q_seconds_bucket{m=\"say \\\"hi\\\"\\n\",le=\"+Inf\"} 6\n")
                .contains("q_seconds_count{m=\"say \\\"hi\\\"\\n\"} 6\n")
                .contains("q_seconds_sum{m=\"say \\\"hi\\\"\\n\"} 7.25\n")
                .doesNotContain("empty").doesNotContain("# EOF");
    }

    @Test
    void openMetricsNamesTheCounterFamilyWithoutTotalAndEnds() {
        String text = Exposition.render(families(), true);
        assertThat(text).contains("# TYPE herd_worker_restarts counter\n")
                .contains("herd_worker_restarts_total{cause=\"crash\"} 2.0\n")
                .endsWith("# EOF\n");
    }

    @Test
    void scrapersAskingForOpenMetricsGetIt() {
        assertThat(Exposition.wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"))
                .isTrue();
        assertThat(Exposition.wantsOpenMetrics("text/plain")).isFalse();
        assertThat(Exposition.wantsOpenMetrics(null)).isFalse();
    }

    @Test
    void numbersHaveNoExponent() {
        assertThat(Exposition.number(1e-4)).isEqualTo("0.0001");
        assertThat(Exposition.number(67108864)).isEqualTo("67108864.0");
        assertThat(Exposition.number(0.014207921)).isEqualTo("0.014207921");
    }
}
