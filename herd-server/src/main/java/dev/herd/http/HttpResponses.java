package dev.herd.http;

import dev.herd.api.Response;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Builds the Netty responses a connection writes: the app's, and herd's own refusals. */
final class HttpResponses {

    private HttpResponses() {
    }

    /**
     * The app's response. A response to HEAD carries the Content-Length a GET would have had but
     * no body: the encoder no longer knows the request method (HttpServerCodec did), so this is
     * where HEAD is honoured.
     *
     * @param keepOpen whether the connection stays open after it; if not, it says {@code Connection: close}
     */
    static FullHttpResponse fromApp(Response response, HttpVersion version, boolean head, boolean keepOpen) {
        byte[] body = response.bodyBytes();
        FullHttpResponse nettyResponse = new DefaultFullHttpResponse(version,
                HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.buffer(0) : Unpooled.wrappedBuffer(body));
        HttpHeaders headers = nettyResponse.headers();
        response.headers().forEach(headers::add);
        // An app may answer HEAD with no body and the length the GET would have: keep its word.
        if (!(head && body.length == 0 && headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        connection(headers, version, keepOpen);
        return nettyResponse;
    }

    /** herd's answer to a request that never reached the app; the connection closes after it. */
    static FullHttpResponse refusal(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase() + "\n", StandardCharsets.UTF_8));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        return response;
    }

    private static void connection(HttpHeaders headers, HttpVersion version, boolean keepOpen) {
        if (!keepOpen) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
