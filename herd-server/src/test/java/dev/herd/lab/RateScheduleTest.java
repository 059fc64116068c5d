package dev.herd.lab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateScheduleTest {

    @Test
    void intendedTimesFollowTheRateWhateverHappened() {
        RateSchedule schedule = new RateSchedule(1_000_000_000L, 200);
        assertThat(schedule.take()).isEqualTo(1_000_000_000L);
        assertThat(schedule.take()).isEqualTo(1_005_000_000L);
        // A stall does not move the schedule: the next slot is still 5 ms after the previous one.
        assertThat(schedule.nextIntended()).isEqualTo(1_010_000_000L);
        for (int i = 0; i < 198; i++) {
            schedule.take();
        }
        assertThat(schedule.issued()).isEqualTo(200);
        assertThat(schedule.nextIntended()).isEqualTo(2_000_000_000L);
    }

    @Test
    void rateMustBePositive() {
        assertThatThrownBy(() -> new RateSchedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
