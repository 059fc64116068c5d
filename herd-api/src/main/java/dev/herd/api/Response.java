package dev.herd.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One HTTP response: status, header fields and a body ({@link ResponseBody}): bytes, a stream
 * the app writes, a file, or an event stream. Immutable.
 *
 * <p>herd adds {@code content-length} (for bytes and files), {@code date} and
 * {@code connection} itself; an app sets {@code content-type} and anything else it needs. A
 * streamed body with the app's own {@code content-length} goes out with that length, else
 * chunked.
 */
public final class Response {

    private final int status;
    private final Headers headers;
    private final ResponseBody body;
    private final String route;

    private Response(int status, Headers headers, ResponseBody body, String route) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.route = route;
    }

    /** A builder starting from {@code status}. */
    public static Builder status(int status) {
        return new Builder(status);
    }

    /** {@code 200} with a UTF-8 plain-text body. */
    public static Response text(String body) {
        return text(200, body);
    }

    /** {@code status} with a UTF-8 plain-text body. */
    public static Response text(int status, String body) {
        return status(status).header("content-type", "text/plain; charset=utf-8").body(body).build();
    }

    /** {@code 200} with an {@code application/json} body the caller has already encoded. */
    public static Response json(String json) {
        return status(200).header("content-type", "application/json").body(json).build();
    }

    /**
     * {@code 200} with the file at {@code path}, typed by its extension; {@code 404} if it is not
     * a readable regular file when the response goes out. See {@link ResponseBody.File}.
     */
    public static Response file(Path path) {
        return status(200).file(path).build();
    }

    /** {@code 200} with an event stream produced by blocking calls ({@link EventWriter}). */
    public static Response events(EventWriter writer) {
        return status(200).body(new ResponseBody.Events(writer)).build();
    }

    /** {@code 200} with an event stream produced with stages ({@link AsyncEventWriter}). */
    public static Response eventsAsync(AsyncEventWriter writer) {
        return status(200).body(new ResponseBody.AsyncEvents(writer)).build();
    }

    /**
     * Accepts the request's upgrade to a WebSocket, served by {@code handler} with blocking calls.
     * herd answers {@code 101} (or {@code 400} if the request is no valid upgrade, {@code 403} if
     * its {@code Origin} is not allowed by {@code --ws-origins}). To choose a subprotocol or set a
     * cookie, add headers: {@code Response.status(101).header("sec-websocket-protocol", "chat")
     * .body(new ResponseBody.BlockingWebSocket(handler)).build()}. To refuse, answer anything else.
     */
    public static Response webSocket(WebSocketHandler handler) {
        return status(101).body(new ResponseBody.BlockingWebSocket(handler)).build();
    }

    /** Accepts the request's upgrade to a WebSocket, served by {@code listener}'s callbacks. */
    public static Response webSocketAsync(WebSocketListener listener) {
        return status(101).body(new ResponseBody.AsyncWebSocket(listener)).build();
    }

    /**
     * The route that answered, as a template ({@code /users/{id}}), for the metrics'
     * {@code http_route} label; null when the app names none. A template, never the path
     * itself: every distinct value is a series of its own.
     */
    public String route() {
        return route;
    }

    /** This response with {@code route} named ({@link #route()}). */
    public Response withRoute(String route) {
        return new Response(status, headers, body, route);
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    public ResponseBody body() {
        return body;
    }

    /**
     * The body bytes, shared, not copied: callers must not change them.
     *
     * @throws IllegalStateException the body is not in memory (a stream, a file or events)
     */
    public byte[] bodyBytes() {
        if (body instanceof ResponseBody.Bytes(byte[] bytes)) {
            return bytes;
        }
        throw new IllegalStateException("the body is " + body.getClass().getSimpleName() + ", not bytes");
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + (body instanceof ResponseBody.Bytes(byte[] bytes)
                ? bytes.length + " bytes" : body.getClass().getSimpleName()) + "]";
    }

    private static final ResponseBody EMPTY = new ResponseBody.Bytes(new byte[0]);

    /** Assembles a response; not thread-safe. */
    public static final class Builder {
        private final int status;
        private final Headers.Builder headers = Headers.builder();
        private ResponseBody body = EMPTY;
        private String route;

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        public Builder body(String text) {
            this.body = new ResponseBody.Bytes(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Takes ownership of {@code bytes}: the caller must not change them afterwards. */
        public Builder body(byte[] bytes) {
            this.body = new ResponseBody.Bytes(bytes);
            return this;
        }

        public Builder body(ResponseBody body) {
            this.body = java.util.Objects.requireNonNull(body, "body");
            return this;
        }

        /** A body the app writes with blocking calls once the header is out ({@link BodyWriter}). */
        public Builder stream(BodyWriter writer) {
            return body(new ResponseBody.Stream(writer));
        }

        /** A body the app writes with stages once the header is out ({@link AsyncBodyWriter}). */
        public Builder streamAsync(AsyncBodyWriter writer) {
            return body(new ResponseBody.AsyncStream(writer));
        }

        /** The file at {@code path} as the body ({@link ResponseBody.File}). */
        public Builder file(Path path) {
            return body(new ResponseBody.File(path));
        }

        /** Names the route that answered, for the metrics ({@link Response#route()}). */
        public Builder route(String template) {
            this.route = template;
            return this;
        }

        public Response build() {
            return new Response(status, headers.build(), body, route);
        }
    }
}
