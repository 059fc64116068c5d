package dev.herd.http.ws;

import dev.herd.api.Headers;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/** The opening handshake of RFC 6455 (section 4.2), server side. */
public final class Handshake {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Framing of the 101 is herd's: these app headers would lie about it. */
    private static final Set<String> NOT_FROM_APP = Set.of("content-length", "transfer-encoding", "connection",
            "upgrade", "sec-websocket-accept", "sec-websocket-extensions");

    /** Why an upgrade is refused, and with what. */
    public record Refusal(int status, String why) {
    }

    private Handshake() {
    }

    /** @return null when {@code request} is a valid upgrade its origin may make; else the refusal */
    public static Refusal check(HttpRequest request, OriginPolicy origins) {
        HttpHeaders headers = request.headers();
        if (!request.method().equals(HttpMethod.GET) || !request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return new Refusal(400, "a WebSocket opens with an HTTP/1.1 GET");
        }
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)) {
            return new Refusal(400, "not a WebSocket upgrade (Upgrade: websocket, Connection: Upgrade)");
        }
        if (!"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            return new Refusal(426, "unsupported Sec-WebSocket-Version (13 only)");
        }
        String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || !validKey(key.trim())) {
            return new Refusal(400, "missing or malformed Sec-WebSocket-Key");
        }
        if (!origins.allows(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST))) {
            return new Refusal(403, "Origin " + headers.get(HttpHeaderNames.ORIGIN) + " may not open a WebSocket"
                    + " here (--ws-origins)");
        }
        return null;
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code Sec-WebSocket-Accept} answering {@code key}. */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * permessage-deflate, if the client offers it in a form herd can take: the first acceptable
     * offer wins (RFC 7692, section 5). Inflating stops at {@code maxMessage} bytes, so a small
     * compressed frame cannot make the worker allocate without bound.
     */
    public static WebSocketServerExtension deflate(HttpRequest request, int maxMessage) {
        String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (offered == null) {
            return null;
        }
        // Window sizes other than 15 need zlib features the JDK's Inflater lacks.
        boolean windows = ZlibCodecFactory.isSupportingWindowSizeAndMemLevel();
        PerMessageDeflateServerExtensionHandshaker deflate = new PerMessageDeflateServerExtensionHandshaker(
                6, windows, PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, false, false, maxMessage);
        for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offered)) {
            WebSocketServerExtension agreed = deflate.handshakeExtension(offer);
            if (agreed != null) {
                return agreed;
            }
        }
        return null;
    }

    /** The 101 that completes the handshake, with the app's own headers (cookies, subprotocol). */
    public static FullHttpResponse response(HttpRequest request, Headers appHeaders, WebSocketServerExtension agreed) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS);
        HttpHeaders headers = response.headers();
        appHeaders.forEach((name, value) -> {
            if (!NOT_FROM_APP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                headers.add(name, value);
            }
        });
        headers.set(HttpHeaderNames.UPGRADE, "websocket");
        headers.set(HttpHeaderNames.CONNECTION, "Upgrade");
        headers.set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, accept(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY)));
        if (agreed != null) {
            headers.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, format(agreed.newReponseData()));
        }
        return response;
    }

    private static String format(WebSocketExtensionData data) {
        StringBuilder text = new StringBuilder(data.name());
        for (Map.Entry<String, String> parameter : data.parameters().entrySet()) {
            text.append("; ").append(parameter.getKey());
            if (parameter.getValue() != null) {
                text.append('=').append(parameter.getValue());
            }
        }
        return text.toString();
    }
}
