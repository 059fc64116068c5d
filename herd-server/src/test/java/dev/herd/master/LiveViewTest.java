package dev.herd.master;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveViewTest {

    private static final double[] BOUNDS = {0.01, 0.1, 1};

    @Test
    void quantilesInterpolateInsideTheirBucketAsHistogramQuantileDoes() {
        // 10 observations up to 10 ms, 10 between 10 and 100 ms.
        long[] counts = {10, 10, 0, 0};
        assertThat(LiveView.quantile(counts, BOUNDS, 0.5)).isEqualTo(0.01);
        assertThat(LiveView.quantile(counts, BOUNDS, 0.75)).isCloseTo(0.055, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LiveView.quantile(counts, BOUNDS, 0.25)).isCloseTo(0.005, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void pastTheLastBoundTheLastBoundIsAllThatIsKnown() {
        assertThat(LiveView.quantile(new long[]{0, 0, 0, 5}, BOUNDS, 0.99)).isEqualTo(1.0);
        assertThat(LiveView.quantile(new long[]{0, 0, 0, 0}, BOUNDS, 0.99)).isNull();
    }
}
