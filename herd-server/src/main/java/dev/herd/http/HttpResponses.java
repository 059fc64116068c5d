package dev.herd.http;

import dev.herd.api.Response;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Builds the Netty responses a connection writes: the app's, and herd's own refusals. */
final class HttpResponses {

    /** The app's fields are checked here, once, by the rules Netty's validating headers apply. */
    private static final HttpHeadersFactory UNCHECKED =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    /** Values apps send on most responses, as bytes. */
    private static final Map<String, AsciiString> COMMON_VALUES = asBytes("text/plain; charset=utf-8",
            "text/html; charset=utf-8", "application/json", "application/octet-stream", "no-cache", "no-store",
            "nosniff", "gzip", "chunked", "close", "keep-alive", "*");

    private HttpResponses() {
    }

    private static Map<String, AsciiString> asBytes(String... values) {
        Map<String, AsciiString> map = new HashMap<>();
        for (String value : values) {
            map.put(value, AsciiString.cached(value));
        }
        return Map.copyOf(map);
    }

    /**
     * The app's response. A response to HEAD carries the Content-Length a GET would have had but
     * no body: the encoder no longer knows the request method (HttpServerCodec did), so this is
     * where HEAD is honoured.
     *
     * @param keepOpen whether the connection stays open after it; if not, it says {@code Connection: close}
     * @throws IllegalArgumentException a header name or value of the app's is not valid HTTP
     */
    static FullHttpResponse fromApp(Response response, HttpVersion version, boolean head, boolean keepOpen) {
        return fromApp(response, response.bodyBytes(), version, head, keepOpen);
    }

    /** As {@link #fromApp(Response, HttpVersion, boolean, boolean)} with {@code body} instead of the app's. */
    static FullHttpResponse fromApp(Response response, byte[] body, HttpVersion version, boolean head,
                                    boolean keepOpen) {
        HttpHeaders headers = UNCHECKED.newHeaders();
        response.headers().forEach((name, value) -> headers.add(checkedName(name), checkedValue(name, value)));
        // An app may answer HEAD with no body and the length the GET would have: keep its word.
        if (!(head && body.length == 0 && headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        connection(headers, version, keepOpen);
        return new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), headers, EmptyHttpHeaders.INSTANCE);
    }

    /**
     * The header of a streamed response: the app's fields, the date and the connection, and the
     * framing: the app's {@code content-length} if it gave one, else chunked on HTTP/1.1 or the
     * connection's end on HTTP/1.0 (the caller then closes). A response to HEAD says neither:
     * its body is never sent.
     *
     * @throws IllegalArgumentException a header of the app's is not valid HTTP, or its content-length is not a number
     */
    static HttpResponse streamHead(Response response, HttpVersion version, boolean head, boolean keepOpen,
                                   boolean chunked, CharSequence defaultContentType) {
        HttpHeaders headers = UNCHECKED.newHeaders();
        response.headers().forEach((name, value) -> headers.add(checkedName(name), checkedValue(name, value)));
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            declaredLength(length);
        } else if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (defaultContentType != null && !headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, defaultContentType);
        }
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        connection(headers, version, keepOpen);
        return new DefaultHttpResponse(version, HttpResponseStatus.valueOf(response.status()), headers);
    }

    /** The app's content-length of a streamed response, or -1 when it gave none. */
    static long declaredLength(Response response) {
        return response.headers().first("content-length").map(HttpResponses::declaredLength).orElse(-1L);
    }

    private static long declaredLength(String value) {
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException("the content-length '" + value + "' is not a length");
    }

    /** A header name of the app's, as Netty's constant when it is a common one (no check needed, copied as bytes). */
    private static CharSequence checkedName(String name) {
        AsciiString known = HeaderNames.known(name);
        if (known != null) {
            return known;
        }
        int bad = HttpHeaderValidationUtil.validateToken(name);
        if (bad >= 0 || name.isEmpty()) {
            throw new IllegalArgumentException("the header name '" + name + "' is not an HTTP token"
                    + (bad >= 0 ? " (character " + bad + ")" : ""));
        }
        return name;
    }

    /** A header value of the app's: no CR, LF or other control characters, which would split the response. */
    private static CharSequence checkedValue(String name, String value) {
        AsciiString known = COMMON_VALUES.get(value);
        if (known != null) {
            return known;
        }
        int bad = HttpHeaderValidationUtil.validateValidHeaderValue(value);
        if (bad >= 0) {
            throw new IllegalArgumentException("the value of header '" + name + "' has a forbidden character at "
                    + bad);
        }
        return value;
    }

    /**
     * herd's answer to a request that never reached the app; the connection closes after it.
     *
     * @param head the request was a HEAD: the answer says the length of its text, and sends none
     */
    static FullHttpResponse refusal(HttpResponseStatus status, boolean head) {
        byte[] text = (status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(text));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        return response;
    }

    static void connection(HttpHeaders headers, HttpVersion version, boolean keepOpen) {
        if (!keepOpen) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
