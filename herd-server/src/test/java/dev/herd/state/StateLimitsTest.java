package dev.herd.state;

import dev.herd.api.state.StateLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key or value over its limit: an exception that says which limit, before anything is sent. */
class StateLimitsTest {

    @Test
    void keysValuesAndTimesToLiveOverTheirLimitsSaySo() {
        assertThat(StateLimits.key("k".repeat(1024))).hasSize(1024);
        assertThatThrownBy(() -> StateLimits.key("é".repeat(513)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key of 1026 bytes is over the key limit of 1024 bytes");
        assertThatThrownBy(() -> StateLimits.key("")).hasMessage("a key must not be empty");
        assertThat(StateLimits.value(new byte[1 << 20])).hasSize(1 << 20);
        assertThatThrownBy(() -> StateLimits.value(new byte[(1 << 20) + 1]))
                .hasMessage("value of 1048577 bytes is over the value limit of 1048576 bytes");
        assertThat(StateLimits.ttlMillis(null)).isZero();
        assertThat(StateLimits.ttlMillis(Duration.ofNanos(1))).isEqualTo(1);
        assertThatThrownBy(() -> StateLimits.ttlMillis(Duration.ZERO)).hasMessageContaining("must be positive");
    }
}
