package dev.herd.api;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One open WebSocket connection (RFC 6455), after herd has answered the upgrade: messages in
 * and out, and the closing handshake. Safe to use from any thread.
 *
 * <p>Two styles, both in every execution model, as with streamed bodies:
 * <ul>
 *   <li>blocking ({@link WebSocketHandler}): {@link #receive()} waits for the next message and
 *       {@link #sendAndWait} waits while the client is slower than the app. The handler holds its
 *       thread for the connection's whole life: under {@code virtual} that is a parked virtual
 *       thread, under {@code sync} the worker's only thread.</li>
 *   <li>callbacks ({@link WebSocketListener}): messages arrive on the event loop and
 *       {@link #send} returns a stage.</li>
 * </ul>
 *
 * <p>herd answers pings, pings the client every {@code --ws-ping-interval}, closes a connection
 * it heard nothing from for {@code --ws-idle-timeout} (1001), refuses a message over
 * {@code --ws-max-message} (1009), a protocol violation (1002) and a text message that is not
 * UTF-8 (1007), and closes every WebSocket with 1001 when the worker drains (reload, scale-down,
 * stop), so clients reconnect to the new generation.
 */
public interface WebSocket {

    /**
     * The next message, waiting for it if need be; {@code null} once the connection has closed
     * (then {@link #closed()} tells how). While the app does not call it, herd stops reading the
     * socket after a few messages: a slow app slows the client down, memory stays bounded. Not on
     * an event loop thread, and not with a {@link WebSocketListener} (which gets the messages).
     */
    WebSocketMessage receive() throws InterruptedException;

    /**
     * Sends {@code message}; never blocks.
     *
     * @return completes once the connection's unsent output is below its high-water mark; fails
     *         with an {@link IOException} when the connection is closing or gone
     */
    CompletionStage<Void> send(WebSocketMessage message);

    /** Sends a text message; never blocks. */
    default CompletionStage<Void> send(String text) {
        return send(new WebSocketMessage.Text(text));
    }

    /** Sends a binary message; never blocks. herd owns {@code data} from now on. */
    default CompletionStage<Void> send(byte[] data) {
        return send(new WebSocketMessage.Binary(data));
    }

    /**
     * Sends {@code message} and waits while the client lags: the blocking style. Not on an event
     * loop thread.
     *
     * @throws IOException the connection is closing or gone
     */
    void sendAndWait(WebSocketMessage message) throws IOException, InterruptedException;

    /** Sends a text message and waits while the client lags. */
    default void sendAndWait(String text) throws IOException, InterruptedException {
        sendAndWait(new WebSocketMessage.Text(text));
    }

    /**
     * Starts the closing handshake with {@code code} (1000 normal, 1001 going away, 1008 policy,
     * 3000-4999 the app's own) and a reason of up to 123 bytes. The connection closes when the
     * client answers, or after a few seconds if it does not.
     *
     * @return completes when the connection has closed
     */
    CompletionStage<WebSocketClose> close(int code, String reason);

    /** Starts a normal close (1000). */
    default CompletionStage<WebSocketClose> close() {
        return close(WebSocketClose.NORMAL, "");
    }

    /** False once either side has started to close, or the connection is gone. */
    boolean isOpen();

    /**
     * Completes when the connection has closed: with the code and reason of the close frame the
     * client sent or answered with, or {@link WebSocketClose#ABNORMAL} (1006) when it went
     * without one.
     */
    CompletionStage<WebSocketClose> closed();

    /** The upgrade request: path, query, headers (cookies, {@code Origin}), remote address. */
    Request request();

    /** The subprotocol the app chose in its response ({@code Sec-WebSocket-Protocol}), if any. */
    Optional<String> subprotocol();
}
