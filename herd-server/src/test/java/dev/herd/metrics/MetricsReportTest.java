package dev.herd.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsReportTest {

    @Test
    void aReportComesBackAsItWasSent() throws Exception {
        List<Sample> samples = List.of(
                Sample.counter("c", true, List.of("a", "1"), 2.5),
                Sample.gauge("g", false, List.of(), -3),
                Sample.histogram("h_seconds", false, List.of("m", "GET"), new double[]{0.1, 1}, new long[]{1, 0, 2}, 4.2));
        assertThat(MetricsReport.decode(MetricsReport.encode(samples))).isEqualTo(samples);
    }

    @Test
    void garbageIsRefusedWithWhatIsWrong() {
        assertRefused(Sample.counter("bad name", false, List.of(), 1), "bad metric name");
        assertRefused(Sample.counter("c", false, List.of("le", "1"), 1), "bad label name 'le'");
        assertRefused(Sample.counter("c", false, List.of("worker", "1"), 1), "bad label name 'worker'");
        assertRefused(Sample.counter("c", false, List.of("lonely"), 1), "pairs");
        assertRefused(Sample.counter("c", false, List.of(), -1), "went down");
        assertRefused(Sample.gauge("g", false, List.of(), Double.NaN), "NaN");
        assertRefused(Sample.histogram("h", false, List.of(), new double[]{1, 0.5}, new long[]{0, 0, 0}, 0),
                "not increasing");
        assertRefused(Sample.histogram("h", false, List.of(), new double[]{1}, new long[]{0, 0, 0}, 0), "3 counts");
        assertRefused(Sample.histogram("h", false, List.of(), new double[]{1}, new long[]{-1, 0}, 0), "went down");
    }

    @Test
    void truncatedOrOverlongBytesAreRefused() {
        byte[] good = MetricsReport.encode(List.of(Sample.counter("c", false, List.of(), 1)));
        assertThatThrownBy(() -> MetricsReport.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(MetricsReport.InvalidReportException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> MetricsReport.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(MetricsReport.InvalidReportException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> MetricsReport.decode(new byte[]{0x7f, 0, 0, 0}))
                .isInstanceOf(MetricsReport.InvalidReportException.class).hasMessageContaining("sample count");
    }

    private static void assertRefused(Sample sample, String why) {
        assertThatThrownBy(() -> MetricsReport.decode(MetricsReport.encode(List.of(sample))))
                .isInstanceOf(MetricsReport.InvalidReportException.class).hasMessageContaining(why);
    }
}
