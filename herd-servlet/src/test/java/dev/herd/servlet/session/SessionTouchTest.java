package dev.herd.servlet.session;

import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a save of a session's times alone is worth a write over what the store holds. */
class SessionTouchTest {

    private static SessionData accessedAt(long accessed, long expiry) {
        SessionData data = new SessionData("abc123", "/", "0.0.0.0", 1_000, accessed, accessed - 100, 1_800_000);
        data.setExpiry(expiry);
        return data;
    }

    @Test
    void aLaterAccessIsSaved() {
        assertThat(SharedSessionDataStore.later(accessedAt(5_000, 1_805_000), accessedAt(4_000, 1_804_000))).isTrue();
    }

    @Test
    void anEarlierAccessNeverOverwritesALaterOne() {
        // The end of request 3 on one worker, arriving after request 4 on the other saved.
        assertThat(SharedSessionDataStore.later(accessedAt(4_000, 1_804_050), accessedAt(5_000, 1_805_000))).isFalse();
    }

    @Test
    void theSameAccessIsSavedAgainOnlyWhenItsEndMovedTheExpiryBySecondsOrTheTimeoutChanged() {
        SessionData stored = accessedAt(5_000, 1_805_000);
        assertThat(SharedSessionDataStore.later(accessedAt(5_000, 1_805_020), stored)).as("a short request").isFalse();
        assertThat(SharedSessionDataStore.later(accessedAt(5_000, 1_865_000), stored)).as("a minute-long one").isTrue();
        SessionData longer = accessedAt(5_000, 3_605_000);
        longer.setMaxInactiveMs(3_600_000);
        assertThat(SharedSessionDataStore.later(longer, stored)).as("setMaxInactiveInterval").isTrue();
    }
}
