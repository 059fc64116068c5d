package dev.herd.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who the client is, from the peer and the forwarding headers, under each trust setting. */
class ForwardedHeadersTest {

    private static final InetSocketAddress LOCAL_PROXY = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.20", 40000);
    private static final ForwardedHeaders DEFAULT_TRUST = new ForwardedHeaders(List.of("127.0.0.1", "::1", "unix"));

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static String client(ForwardedHeaders trust, InetSocketAddress peer, String... headers) {
        ForwardedHeaders.Origin origin = trust.resolve(peer, false, headers(headers));
        return origin.remoteAddress() == null ? null
                : origin.remoteAddress().getAddress().getHostAddress() + ":" + origin.remoteAddress().getPort();
    }

    private static String scheme(ForwardedHeaders trust, InetSocketAddress peer, String... headers) {
        return trust.resolve(peer, false, headers(headers)).scheme();
    }

    @Test
    void withoutHeadersThePeerIsTheClient() {
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY)).isEqualTo("127.0.0.1:50000");
        assertThat(scheme(DEFAULT_TRUST, LOCAL_PROXY)).isEqualTo("http");
    }

    @Test
    void untrustedPeerCannotForgeTheClientOrTheScheme() {
        assertThat(client(DEFAULT_TRUST, STRANGER, "X-Forwarded-For", "203.0.113.9")).isEqualTo("198.51.100.20:40000");
        assertThat(client(DEFAULT_TRUST, STRANGER, "Forwarded", "for=203.0.113.9")).isEqualTo("198.51.100.20:40000");
        assertThat(scheme(DEFAULT_TRUST, STRANGER, "X-Forwarded-Proto", "https")).isEqualTo("http");
        assertThat(scheme(DEFAULT_TRUST, STRANGER, "Forwarded", "proto=https")).isEqualTo("http");
    }

    @Test
    void trustedPeerSetsClientAndScheme() {
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "X-Forwarded-For", "203.0.113.9")).isEqualTo("203.0.113.9:0");
        assertThat(scheme(DEFAULT_TRUST, LOCAL_PROXY, "X-Forwarded-Proto", "HTTPS")).isEqualTo("https");
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "X-Forwarded-For", "203.0.113.9:1234"))
                .isEqualTo("203.0.113.9:1234");
    }

    @Test
    void networksAreTrustedWhole() {
        ForwardedHeaders trust = new ForwardedHeaders(List.of("10.89.0.0/16", "fd00::/8"));
        InetSocketAddress containerProxy = new InetSocketAddress("10.89.3.7", 41000);
        assertThat(client(trust, containerProxy, "X-Forwarded-For", "203.0.113.9")).isEqualTo("203.0.113.9:0");
        assertThat(client(trust, new InetSocketAddress("10.90.0.1", 41000), "X-Forwarded-For", "203.0.113.9"))
                .as("outside the /16").isEqualTo("10.90.0.1:41000");
        assertThat(client(trust, new InetSocketAddress("fd12::5", 41000), "X-Forwarded-For", "203.0.113.9"))
                .isEqualTo("203.0.113.9:0");
        // Hops inside the network are proxies too.
        assertThat(client(trust, containerProxy, "X-Forwarded-For", "203.0.113.9, 10.89.0.4")).isEqualTo("203.0.113.9:0");
        assertThat(AddressRange.parse("10.89.0.0/33")).isNull();
        assertThat(AddressRange.parse("10.89.0/16")).isNull();
        assertThat(AddressRange.parse("10.1.2.3/7").contains(new InetSocketAddress("11.255.0.1", 0).getAddress())).isTrue();
        assertThat(AddressRange.parse("10.1.2.3/8").contains(new InetSocketAddress("11.0.0.1", 0).getAddress())).isFalse();
    }

    @Test
    void xForwardedForIsWalkedFromTheRightPastTrustedProxies() {
        ForwardedHeaders trust = new ForwardedHeaders(List.of("127.0.0.1", "10.0.0.2", "10.0.0.3"));
        // The client wrote 1.1.1.1 itself; 203.0.113.9 is who connected to the first trusted proxy.
        assertThat(client(trust, LOCAL_PROXY, "X-Forwarded-For", "1.1.1.1, 203.0.113.9, 10.0.0.2, 10.0.0.3"))
                .isEqualTo("203.0.113.9:0");
        // Several header fields form one list, in order.
        assertThat(client(trust, LOCAL_PROXY, "X-Forwarded-For", "1.1.1.1, 203.0.113.9", "X-Forwarded-For", "10.0.0.2"))
                .isEqualTo("203.0.113.9:0");
        // Every hop trusted: the leftmost is the client.
        assertThat(client(trust, LOCAL_PROXY, "X-Forwarded-For", "10.0.0.3, 10.0.0.2")).isEqualTo("10.0.0.3:0");
    }

    @Test
    void protoIsTakenAtTheClientsPositionWhenTheListsMatch() {
        ForwardedHeaders trust = new ForwardedHeaders(List.of("127.0.0.1", "10.0.0.2"));
        assertThat(scheme(trust, LOCAL_PROXY, "X-Forwarded-For", "203.0.113.9, 10.0.0.2",
                "X-Forwarded-Proto", "https, http")).isEqualTo("https");
        // Lists of different lengths: the last value, set by the trusted peer.
        assertThat(scheme(trust, LOCAL_PROXY, "X-Forwarded-For", "1.1.1.1, 203.0.113.9",
                "X-Forwarded-Proto", "https")).isEqualTo("https");
        assertThat(scheme(trust, LOCAL_PROXY, "X-Forwarded-Proto", "gopher")).isEqualTo("http");
    }

    @Test
    void forwardedIsPreferredAndWalkedTheSameWay() {
        ForwardedHeaders trust = new ForwardedHeaders(List.of("127.0.0.1", "10.0.0.2"));
        String[] headers = {
            "X-Forwarded-For", "192.0.2.99",
            "Forwarded", "for=1.1.1.1;proto=http, for=\"203.0.113.9:8443\";proto=https;by=10.0.0.2",
            "Forwarded", "for=10.0.0.2;proto=http",
        };
        assertThat(client(trust, LOCAL_PROXY, headers)).isEqualTo("203.0.113.9:8443");
        assertThat(scheme(trust, LOCAL_PROXY, headers)).isEqualTo("https");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "for=192.0.2.60                            | 192.0.2.60:0",
        "For=\"192.0.2.60:80\"                     | 192.0.2.60:80",
        "for=\"[2001:db8:cafe::17]:4711\"          | 2001:db8:cafe:0:0:0:0:17:4711",
        "for=\"[2001:db8:cafe::17]\"               | 2001:db8:cafe:0:0:0:0:17:0",
        "for=192.0.2.43, for=198.51.100.17         | 198.51.100.17:0",
        "proto=https;for=192.0.2.60 ; by=203.0.113.43 | 192.0.2.60:0",
        "for=\"192.0.2.60:_hidden\"                | 192.0.2.60:0",
    })
    void forwardedSyntax(String forwarded, String expectedClient) {
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "Forwarded", forwarded)).isEqualTo(expectedClient);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "for=unknown",
        "for=_hidden",
        "proto=https",
        "for=192.0.2.60:80",
        "for=\"192.0.2.60",
        "for=[2001:db8::1]",
        "for=example.com",
        "for=\"300.1.1.1\"",
        "for=\"192.0.2.60:99999\"",
        "for=192.0.2.60;for=192.0.2.61",
        "for 192.0.2.60",
        "for=192.0.2.60 junk",
        "=192.0.2.60",
    })
    void unusableForKeepsThePeer(String forwarded) {
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "Forwarded", forwarded)).isEqualTo("127.0.0.1:50000");
    }

    @Test
    void obfuscatedClientStillGivesItsScheme() {
        assertThat(scheme(DEFAULT_TRUST, LOCAL_PROXY, "Forwarded", "for=_hidden;proto=https")).isEqualTo("https");
        assertThat(scheme(DEFAULT_TRUST, LOCAL_PROXY, "Forwarded", "for=\"192.0.2.60;proto=https")).isEqualTo("http");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not-an-ip",
        "203.0.113.9, example.com",
        "203.0.113.9, 10.0.0.1:abc",
        "[::1",
        "999.1.1.1",
    })
    void unparseableXForwardedForKeepsThePeer(String xff) {
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "X-Forwarded-For", xff)).isEqualTo("127.0.0.1:50000");
    }

    @Test
    void unparseableHopsLeftOfTheClientDoNotMatter() {
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "X-Forwarded-For", "garbage, 203.0.113.9"))
                .isEqualTo("203.0.113.9:0");
    }

    @Test
    void xForwardedForTakesIpv6InEveryCommonSpelling() {
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "X-Forwarded-For", "2001:db8::5"))
                .isEqualTo("2001:db8:0:0:0:0:0:5:0");
        assertThat(client(DEFAULT_TRUST, LOCAL_PROXY, "X-Forwarded-For", "[2001:db8::5]:443"))
                .isEqualTo("2001:db8:0:0:0:0:0:5:443");
        assertThat(client(DEFAULT_TRUST, new InetSocketAddress("::1", 1), "X-Forwarded-For", "203.0.113.9"))
                .isEqualTo("203.0.113.9:0");
    }

    @Test
    void unixPeersAreTrustedOnlyWhenUnixIsListed() {
        HttpHeaders headers = headers("X-Forwarded-For", "203.0.113.9");
        assertThat(DEFAULT_TRUST.resolve(null, true, headers).remoteAddress().getAddress().getHostAddress())
                .isEqualTo("203.0.113.9");
        ForwardedHeaders ipsOnly = new ForwardedHeaders(List.of("127.0.0.1"));
        assertThat(ipsOnly.resolve(null, true, headers).remoteAddress()).isNull();
        assertThat(ipsOnly.resolve(null, true, headers()).remoteAddress()).isNull();
    }

    @Test
    void starTrustsEveryPeerAndEveryHop() {
        ForwardedHeaders all = new ForwardedHeaders(List.of("*"));
        assertThat(client(all, STRANGER, "X-Forwarded-For", "203.0.113.9, 10.9.9.9")).isEqualTo("203.0.113.9:0");
        assertThat(all.resolve(null, true, headers("X-Forwarded-Proto", "https")).scheme()).isEqualTo("https");
    }

    @Test
    void trustListMustHoldAddresses() {
        assertThatThrownBy(() -> new ForwardedHeaders(List.of("localhost")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ForwardedHeaders(List.of("::1")).trustsPeer(new InetSocketAddress("0:0:0:0:0:0:0:1", 5), false))
                .isTrue();
    }
}
