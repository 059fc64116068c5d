package dev.herd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three kinds of --bind address, and their text form (which workers parse back). */
class BindAddressTest {

    @Test
    void tcpAddresses() {
        assertThat(BindAddress.parse("127.0.0.1:8000")).isEqualTo(new BindAddress("127.0.0.1", 8000));
        assertThat(BindAddress.parse(":80")).isEqualTo(new BindAddress("0.0.0.0", 80));
        BindAddress v6 = BindAddress.parse("[::1]:9000");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.isUnix()).isFalse();
        assertThat(v6.path()).isNull();
        assertThat(v6.toString()).isEqualTo("[::1]:9000");
        assertThat(new BindAddress("127.0.0.1", 0).withPort(4321).port()).isEqualTo(4321);
    }

    @Test
    void unixAddresses() {
        BindAddress unix = BindAddress.parse("unix:/run/herd/app.sock");
        assertThat(unix.isUnix()).isTrue();
        assertThat(unix.path()).isEqualTo("/run/herd/app.sock");
        assertThat(unix.host()).isNull();
        assertThat(unix.toString()).isEqualTo("unix:/run/herd/app.sock");
        assertThat(unix.withPort(80)).isEqualTo(unix);
        assertThat(BindAddress.parse("unix:relative.sock").path()).isEqualTo("relative.sock");
    }

    @Test
    void inheritedSocketsByName() {
        BindAddress web = BindAddress.parse("fd:web");
        assertThat(web.isInherited()).isTrue();
        assertThat(web.isUnix()).isFalse();
        assertThat(web.fdName()).isEqualTo("web");
        assertThat(web.withPort(80)).isEqualTo(web);
        assertThatThrownBy(() -> BindAddress.parse("fd:")).hasMessageContaining("expected fd:NAME");
        assertThat(BindAddress.sameAddresses(List.of(web), List.of(new BindAddress("127.0.0.1", 8000))))
                .as("what an inherited socket was adopted as does not change on a reload").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8000", "[::1]:0", "0.0.0.0:80", "unix:/tmp/a b.sock", "unix:x.sock", "fd:web"})
    void textRoundTrips(String text) {
        assertThat(BindAddress.parse(BindAddress.parse(text).toString())).isEqualTo(BindAddress.parse(text));
        assertThat(BindAddress.TYPE.parse(BindAddress.TYPE.format(BindAddress.parse(text))).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix:", "localhost", "::1:80", "host:http", "host:70000"})
    void invalid(String text) {
        assertThatThrownBy(() -> BindAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eitherTcpOrUnixNeverBoth() {
        assertThatThrownBy(() -> new BindAddress("127.0.0.1", 80, "/tmp/x.sock", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BindAddress(null, 80, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
