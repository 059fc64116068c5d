package dev.herd.api;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Where a streamed response body goes ({@link Response.Builder#stream},
 * {@link Response.Builder#streamAsync}). herd creates it; the status and header fields are on
 * the wire before the app gets it.
 *
 * <p>The same object serves every execution model, in two styles:
 * <ul>
 *   <li><b>stages</b>: {@link #write(ByteBuffer)} never blocks; its stage completes once the
 *       connection's buffered output has drained below its high-water mark, so an app that
 *       waits for each stage before the next write holds a bounded amount of memory however slow
 *       the client. Under {@code async} the stages complete on the connection's event loop.</li>
 *   <li><b>blocking</b>: {@link #outputStream()} writes through a small buffer and blocks while the
 *       client is slower than the app; for {@code sync}, {@code threads} and {@code virtual}.</li>
 * </ul>
 * Without a {@code content-length} header of the app's the body goes out chunked (HTTP/1.1) or
 * ends with the connection (HTTP/1.0). A write after the client went away, or after
 * {@code --write-timeout} cut off a client that stopped reading, fails with
 * {@link java.io.IOException}; {@link #closed()} tells the app at once.
 */
public interface BodyOutput {

    /**
     * Queues {@code data} and sends it now (no need to flush); never blocks. The buffer belongs to
     * herd from here on.
     *
     * @return completes when the data has drained below the high-water mark; fails when the
     *         client is gone or the body has ended
     */
    CompletionStage<Void> write(ByteBuffer data);

    /** {@link #write(ByteBuffer)} of {@code data}, which the caller must not change afterwards. */
    default CompletionStage<Void> write(byte[] data) {
        return write(ByteBuffer.wrap(data));
    }

    /** {@link #write(ByteBuffer)} of {@code text} in UTF-8. */
    default CompletionStage<Void> write(String text) {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A blocking view: {@code write} collects up to 8 KiB, then sends and waits while the client
     * lags; {@code flush} sends what is collected; {@code close} ends the body. Not on an event
     * loop thread ({@link IllegalStateException}).
     */
    OutputStream outputStream();

    /** Ends the body (idempotent); completes when the last byte is on its way. */
    CompletionStage<Void> end();

    /**
     * Ends a chunked body with trailer fields (RFC 9110 6.5). A body of known length, or an HTTP/1.0
     * one, has no place for trailers: they are dropped.
     */
    CompletionStage<Void> end(Headers trailers);

    /** False once the body has ended or the client has gone. */
    boolean isOpen();

    /**
     * Completes when the body has ended: normally ({@link #end}), because the client went away,
     * stopped reading for {@code --write-timeout}, or because the worker is draining an event
     * stream. Never fails.
     */
    CompletionStage<Void> closed();
}
