package dev.herd.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One HTTP request as the app sees it. Immutable and safe to share between threads, except its
 * body when it is streamed, which can be read once.
 *
 * <p>A body up to {@code --body-buffer} bytes is read whole before the app runs:
 * {@link #body()} has it. A larger one, one of unknown length that outgrows the buffer, or one
 * the client sends only after {@code 100 Continue}, arrives while the app runs
 * ({@link #streamedBody()}); read it with {@link #bodyStream()} (blocking) or
 * {@link #bodyPublisher()} (non-blocking), or whole with {@link #readBody()}. Those three work
 * for an in-memory body too, so an app can read every body the same way.
 *
 * <p>{@link #remoteAddress()} is the peer of the connection; when a trusted proxy forwards the
 * request, herd sets it to the original client.
 */
public final class Request {

    /** Every request without a body shares it: the body is only ever handed out as a copy. */
    private static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final String path;
    private final String rawQuery;
    private final Headers headers;
    private final byte[] body;
    /** Non-null when the body arrives while the app runs; {@link #body} is then empty. */
    private final RequestBody streamed;
    private final InetSocketAddress remoteAddress;
    private final String scheme;
    private final String protocol;
    private volatile Map<String, List<String>> queryParams;

    private Request(Builder b) {
        this.method = Objects.requireNonNull(b.method, "method");
        this.path = Objects.requireNonNull(b.path, "path");
        this.rawQuery = b.rawQuery == null ? "" : b.rawQuery;
        this.headers = b.headers == null ? Headers.empty() : b.headers;
        this.body = b.body == null || b.body.length == 0 ? NO_BODY : b.body;
        this.streamed = b.streamed;
        this.remoteAddress = b.remoteAddress;
        this.scheme = b.scheme == null ? "http" : b.scheme;
        this.protocol = b.protocol == null ? "HTTP/1.1" : b.protocol;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The method in upper case, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The path without the query, still percent-encoded, e.g. {@code /users/a%20b}. */
    public String path() {
        return path;
    }

    /** The query string without the {@code ?}, still percent-encoded; empty when absent. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The first decoded value of query parameter {@code name}. */
    public Optional<String> query(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every query parameter, decoded, in order of appearance. */
    public Map<String, List<String>> queryParams() {
        Map<String, List<String>> params = queryParams;
        if (params == null) {
            params = parseQuery(rawQuery);
            queryParams = params;
        }
        return params;
    }

    public Headers headers() {
        return headers;
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /**
     * A copy of the body bytes. A streamed body is read whole here, with blocking reads: on an
     * event loop thread that throws {@link IllegalStateException}; use {@link #readBody()} there.
     *
     * @throws UncheckedIOException the client went away or the body passed the limit
     */
    public byte[] body() {
        if (streamed == null) {
            return body.clone();
        }
        try (InputStream in = streamed.inputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body's length: the bytes in memory, or the announced length of a streamed body, {@code -1}
     * when it was not announced (chunked).
     */
    public long bodyLength() {
        return streamed == null ? body.length : streamed.length();
    }

    /** The body decoded as UTF-8 ({@link #body()}). */
    public String bodyText() {
        return new String(streamed == null ? body : body(), StandardCharsets.UTF_8);
    }

    /** The body when it arrives while the app runs; empty when it was read whole before. */
    public Optional<RequestBody> streamedBody() {
        return Optional.ofNullable(streamed);
    }

    /** The body as a blocking stream, in memory or streamed ({@link RequestBody#inputStream()}). */
    public InputStream bodyStream() {
        return streamed == null ? new ByteArrayInputStream(body) : streamed.inputStream();
    }

    /** The body as chunks with demand, in memory or streamed ({@link RequestBody#publisher()}). */
    public Flow.Publisher<ByteBuffer> bodyPublisher() {
        return streamed == null ? new BytesPublisher(body) : streamed.publisher();
    }

    /**
     * The whole body, without blocking: at once when it is in memory, else when the last chunk
     * has come (bounded by {@code --limit-request-body}). Under {@code async} the stage of a
     * streamed body completes on the event loop.
     */
    public CompletionStage<byte[]> readBody() {
        if (streamed == null) {
            return CompletableFuture.completedFuture(body.clone());
        }
        BodyCollector collector = new BodyCollector();
        streamed.publisher().subscribe(collector);
        return collector.result();
    }

    /**
     * Whether this is a request to open a WebSocket ({@code GET} with {@code Upgrade: websocket}),
     * which {@link Response#webSocket} may accept.
     */
    public boolean isWebSocketUpgrade() {
        return method.equals("GET") && header("upgrade").map(u -> u.equalsIgnoreCase("websocket")).orElse(false);
    }

    /** The client's address, or {@code null} when not known (a unix socket peer). */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** The protocol version, e.g. {@code HTTP/1.1}. */
    public String protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return method + " " + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }

    private static Map<String, List<String>> parseQuery(String query) {
        if (query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        params.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(params);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** Assembles a request; herd uses it for each incoming request, tests may use it too. */
    public static final class Builder {
        private String method;
        private String path;
        private String rawQuery;
        private Headers headers;
        private byte[] body;
        private RequestBody streamed;
        private InetSocketAddress remoteAddress;
        private String scheme;
        private String protocol;

        private Builder() {
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /** Sets path and query from a request target such as {@code /cpu?ms=5}. */
        public Builder target(String target) {
            int q = target.indexOf('?');
            this.path = q < 0 ? target : target.substring(0, q);
            this.rawQuery = q < 0 ? "" : target.substring(q + 1);
            return this;
        }

        public Builder headers(Headers headers) {
            this.headers = headers;
            return this;
        }

        /** Takes ownership of {@code body} (null: none): the caller must not change it afterwards. */
        public Builder body(byte[] body) {
            this.body = body;
            return this;
        }

        /** A body that arrives while the app runs; replaces any {@link #body(byte[])}. */
        public Builder body(RequestBody streamed) {
            this.streamed = streamed;
            this.body = null;
            return this;
        }

        public Builder remoteAddress(InetSocketAddress remoteAddress) {
            this.remoteAddress = remoteAddress;
            return this;
        }

        public Builder scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        public Builder protocol(String protocol) {
            this.protocol = protocol;
            return this;
        }

        public Request build() {
            return new Request(this);
        }
    }
}
