package dev.herd.servlet.session;

import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionCodecTest {

    private static SessionData session(long maxInactiveMs) {
        SessionData data = new SessionData("abc123", "/shop", "0.0.0.0", 1_000, 2_000, 1_500, maxInactiveMs);
        data.setLastNode("");
        data.setCookieSet(1_000);
        data.setExpiry(maxInactiveMs <= 0 ? 0 : 2_000 + maxInactiveMs);
        return data;
    }

    @Test
    void aSessionComesBackAsItWent() throws Exception {
        SessionData data = session(1_800_000);
        data.setAttribute("user", "ann");
        data.setAttribute("cart", new java.util.ArrayList<>(List.of(1, 2, 3)));

        SessionData back = SessionCodec.decode(SessionCodec.encode(data));

        assertThat(back.getId()).isEqualTo("abc123");
        assertThat(back.getContextPath()).isEqualTo("/shop");
        assertThat(back.getVhost()).isEqualTo("0.0.0.0");
        assertThat(back.getCreated()).isEqualTo(1_000);
        assertThat(back.getAccessed()).isEqualTo(2_000);
        assertThat(back.getLastAccessed()).isEqualTo(1_500);
        assertThat(back.getCookieSet()).isEqualTo(1_000);
        assertThat(back.getMaxInactiveMs()).isEqualTo(1_800_000);
        assertThat(back.getExpiry()).isEqualTo(1_802_000);
        assertThat(back.getAttribute("user")).isEqualTo("ann");
        assertThat(back.getAttribute("cart")).isEqualTo(List.of(1, 2, 3));
    }

    @Test
    void anAttributeThatIsNotSerializableFailsTheSave() {
        SessionData data = session(60_000);
        data.setAttribute("thread", new Object());
        assertThatThrownBy(() -> SessionCodec.encode(data)).isInstanceOf(IOException.class);
    }

    @Test
    void aValueOfAnotherLayoutIsRefused() throws Exception {
        byte[] value = SessionCodec.encode(session(60_000));
        value[9] = 7; // the version's low byte: after the stream header (4 bytes) and a block header (2)
        assertThatThrownBy(() -> SessionCodec.decode(value)).isInstanceOf(IOException.class)
                .hasMessage("a session written in layout 7, not 1");
    }

    @Test
    void theValueOutlivesTheSessionByTheLingerAndANeverExpiringOneHasNoTimeToLive() {
        SessionData data = session(1_800_000);
        assertThat(SharedSessionDataStore.timeToLive(data, 2_000)).isEqualTo(Duration.ofMinutes(30).plusHours(1));
        assertThat(SharedSessionDataStore.timeToLive(data, 3_000_000)).isEqualTo(SharedSessionDataStore.LINGER);
        assertThat(SharedSessionDataStore.timeToLive(session(-1), 2_000)).isNull();
    }
}
