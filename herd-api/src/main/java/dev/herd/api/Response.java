package dev.herd.api;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP response: status, header fields and a complete body. Immutable.
 *
 * <p>herd adds {@code content-length}, {@code date} and {@code connection} itself; an app
 * sets {@code content-type} and anything else it needs.
 */
public final class Response {

    private final int status;
    private final Headers headers;
    private final byte[] body;

    private Response(int status, Headers headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
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

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    /** The body bytes, shared, not copied: callers must not change them. */
    public byte[] bodyBytes() {
        return body;
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + body.length + " bytes]";
    }

    /** Assembles a response; not thread-safe. */
    public static final class Builder {
        private final int status;
        private final Headers.Builder headers = Headers.builder();
        private byte[] body = new byte[0];

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        public Builder body(String text) {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Takes ownership of {@code bytes}: the caller must not change them afterwards. */
        public Builder body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        public Response build() {
            return new Response(status, headers.build(), body);
        }
    }
}
