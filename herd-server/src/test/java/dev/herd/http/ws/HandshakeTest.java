package dev.herd.http.ws;

import dev.herd.api.Headers;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTest {

    private static final OriginPolicy SAME = OriginPolicy.of(List.of("same"));

    private static HttpRequest upgrade(String... extra) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/chat");
        request.headers().set("Host", "server.example.com").set("Upgrade", "websocket")
                .set("Connection", "keep-alive, Upgrade").set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .set("Sec-WebSocket-Version", "13");
        for (int i = 0; i < extra.length; i += 2) {
            request.headers().set(extra[i], extra[i + 1]);
        }
        return request;
    }

    @Test
    void acceptsTheExampleOfRfc6455AndAnswersItsAcceptKey() {
        assertThat(Handshake.check(upgrade(), SAME)).isNull();
        FullHttpResponse response = Handshake.response(upgrade(),
                Headers.builder().add("Sec-WebSocket-Protocol", "chat").add("Content-Length", "5").build(), null);
        assertThat(response.status().code()).isEqualTo(101);
        // RFC 6455, section 1.3.
        assertThat(response.headers().get("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(response.headers().get("Sec-WebSocket-Protocol")).isEqualTo("chat");
        assertThat(response.headers().contains("Content-Length")).isFalse();
        assertThat(response.headers().contains("Sec-WebSocket-Extensions")).isFalse();
    }

    @Test
    void refusesWhatIsNoValidUpgrade() {
        assertThat(Handshake.check(upgrade("Sec-WebSocket-Version", "8"), SAME).status()).isEqualTo(426);
        assertThat(Handshake.check(upgrade("Sec-WebSocket-Key", "short"), SAME).status()).isEqualTo(400);
        assertThat(Handshake.check(upgrade("Upgrade", "h2c"), SAME).status()).isEqualTo(400);
        assertThat(Handshake.check(upgrade("Connection", "keep-alive"), SAME).status()).isEqualTo(400);
        HttpRequest post = upgrade();
        post.setMethod(HttpMethod.POST);
        assertThat(Handshake.check(post, SAME).status()).isEqualTo(400);
        assertThat(Handshake.check(upgrade("Origin", "https://evil.example"), SAME).status()).isEqualTo(403);
        assertThat(Handshake.check(upgrade("Origin", "http://server.example.com"), SAME)).isNull();
    }

    @Test
    void agreesToPermessageDeflateWhenOffered() {
        HttpRequest offered = upgrade("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
        var agreed = Handshake.deflate(offered, 1 << 20);
        assertThat(agreed).isNotNull();
        FullHttpResponse response = Handshake.response(offered, Headers.empty(), agreed);
        assertThat(response.headers().get("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
        assertThat(Handshake.deflate(upgrade(), 1 << 20)).isNull();
        assertThat(Handshake.deflate(upgrade("Sec-WebSocket-Extensions", "x-unknown"), 1 << 20)).isNull();
    }
}
