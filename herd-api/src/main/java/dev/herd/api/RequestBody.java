package dev.herd.api;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body that is still arriving while the app runs: herd hands a request to the app as
 * soon as its header is read when the body is larger than {@code --body-buffer}, has no known
 * length and outgrows it, or the client asked for {@code 100-continue}. Smaller bodies are read
 * whole first and reach the app as bytes ({@link Request#body()}).
 *
 * <p>A body can be consumed once, in one of two ways:
 * <ul>
 *   <li>{@link #inputStream()}: blocking reads, for {@code sync}, {@code threads} and
 *       {@code virtual} (a virtual thread parks while it waits, it does not hold a carrier).
 *       A read on an event loop thread throws {@link IllegalStateException} rather than
 *       stalling every connection on that loop.</li>
 *   <li>{@link #publisher()}: chunks delivered as the subscriber requests them, never blocking,
 *       for {@code async}. Under {@code async} {@code onNext} runs on the connection's event
 *       loop.</li>
 * </ul>
 * Either way herd stops reading the socket while the app has not taken what was read, so the
 * memory a connection holds stays bounded however fast the client sends. A body past
 * {@code --limit-request-body} ends the request with {@code 413}: the read in progress fails with
 * an {@link java.io.IOException}. A client that expects {@code 100-continue} is invited to send
 * its body on the first read, not before.
 */
public interface RequestBody {

    /** The length the client announced ({@code Content-Length}), or {@code -1} when it did not (chunked). */
    long length();

    /**
     * The body as a blocking stream; {@code read} returns {@code -1} at its end, and throws
     * {@link java.io.IOException} when the client goes away or the body passes the limit.
     *
     * @throws IllegalStateException when the body is already being consumed
     */
    InputStream inputStream();

    /**
     * The body as a stream of chunks with demand: nothing is read from the client beyond what the
     * subscriber requested and a small buffer. One subscriber only; each buffer passed to
     * {@code onNext} belongs to the subscriber.
     */
    Flow.Publisher<ByteBuffer> publisher();
}
