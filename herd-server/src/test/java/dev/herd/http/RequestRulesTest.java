package dev.herd.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:8000", "127.0.0.1:80", "[::1]", "[::1]:443", "[v1.x]",
            "[fe80::1%25en0]:80", "xn--bcher-kva.example", "a_b.example", "%41.example", "example.com:"})
    void authorities(String host) {
        assertThat(RequestRules.isAuthority(host, false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "{", "\u00ff", "a b", "[::1", "[]", "[::g]", "host:port", "host:123456",
            "user@host", "%4", "[::1]x"})
    void notAuthorities(String host) {
        assertThat(RequestRules.isAuthority(host, false)).isFalse();
    }

    @Test
    void connectNeedsAPort() {
        assertThat(RequestRules.isAuthority("example.com:443", true)).isTrue();
        assertThat(RequestRules.isAuthority("example.com", true)).isFalse();
        assertThat(RequestRules.isAuthority("example.com:", true)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a?b=c", "/with_\"quotes\"", "/caf\u00c3\u00a9", "/a#frag", "http://h/p",
            "https://h:8443", "///keeping_slashes"})
    void targetsLetThrough(String target) {
        assertThatCode(() -> RequestRules.checkTarget("GET", target)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo/bar", "../x", "!", "*", "example.com:443", "http://u:p@h/", "http:///p",
            "s://]ufd/:", "/a\u0000b", "/a\tb", "/\u007f"})
    void targetsRefused(String target) {
        assertThatThrownBy(() -> RequestRules.checkTarget("GET", target)).isInstanceOf(HttpRejection.class);
    }

    @Test
    void asteriskAndAuthorityFormsBelongToTheirMethods() {
        assertThatCode(() -> RequestRules.checkTarget("OPTIONS", "*")).doesNotThrowAnyException();
        assertThatCode(() -> RequestRules.checkTarget("CONNECT", "example.com:443")).doesNotThrowAnyException();
        assertThatThrownBy(() -> RequestRules.checkTarget("CONNECT", "/path")).isInstanceOf(HttpRejection.class);
        assertThatThrownBy(() -> RequestRules.checkTarget("CONNECT", "[]:443")).isInstanceOf(HttpRejection.class);
    }

    @Test
    void absoluteFormGivesTheAppItsOriginForm() {
        assertThat(RequestRules.originForm("http://h:8000/a?b=1")).isEqualTo("/a?b=1");
        assertThat(RequestRules.originForm("http://h:8000")).isEqualTo("/");
        assertThat(RequestRules.originForm("http://h?x")).isEqualTo("/?x");
        assertThat(RequestRules.originForm("http://h/p#f")).isEqualTo("/p");
        assertThat(RequestRules.authority("http://h:8000/a")).isEqualTo("h:8000");
        assertThat(RequestRules.originForm("/a")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "HTTP/1", "HTTP/1.10", "HTTP/a.1", "HTTPS/1.1", " HTTP/1.1"})
    void versionsRefused(String version) {
        assertThatThrownBy(() -> RequestRules.checkVersion(version)).isInstanceOf(HttpRejection.class);
    }

    @Test
    void hostRules() {
        assertThatThrownBy(() -> RequestRules.checkHost(headers(), HttpVersion.HTTP_1_1))
                .hasMessageContaining("without Host");
        assertThatCode(() -> RequestRules.checkHost(headers(), HttpVersion.HTTP_1_0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RequestRules.checkHost(headers("a", "b"), HttpVersion.HTTP_1_0))
                .hasMessageContaining("more than one");
        assertThatCode(() -> RequestRules.checkHost(headers(""), HttpVersion.HTTP_1_1)).doesNotThrowAnyException();
    }

    @Test
    void transferCodings() {
        HttpHeaders gzip = new DefaultHttpHeaders().add("transfer-encoding", "gzip").add("transfer-encoding", "chunked");
        assertThatThrownBy(() -> RequestRules.checkTransferCodings(gzip))
                .isInstanceOfSatisfying(HttpRejection.class, r -> assertThat(r.status().code()).isEqualTo(501));
        HttpHeaders twice = new DefaultHttpHeaders().add("transfer-encoding", "chunked, chunked");
        assertThatThrownBy(() -> RequestRules.checkTransferCodings(twice))
                .isInstanceOfSatisfying(HttpRejection.class, r -> assertThat(r.status().code()).isEqualTo(400));
        HttpHeaders empty = new DefaultHttpHeaders().add("transfer-encoding", ", chunked");
        assertThatCode(() -> RequestRules.checkTransferCodings(empty)).doesNotThrowAnyException();
    }

    private static HttpHeaders headers(String... hosts) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String host : hosts) {
            headers.add("host", host);
        }
        return headers;
    }
}
