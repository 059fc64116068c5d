package dev.herd.api;

import java.util.concurrent.CompletionStage;

/**
 * Serves one WebSocket with callbacks ({@link Response#webSocketAsync}), the style of the
 * {@code async} model: every callback runs on the connection's event loop and must not block.
 *
 * <p>Back-pressure inbound: a callback may return a stage; herd delivers the next message only
 * once it completes, and stops reading the socket meanwhile. {@code null} means done at once.
 * Outbound: {@link WebSocket#send} returns a stage that completes when the client has taken
 * enough.
 */
public interface WebSocketListener {

    /** The upgrade is answered: the connection is open. */
    default void onOpen(WebSocket socket) {
    }

    /** A whole message arrived. */
    CompletionStage<?> onMessage(WebSocket socket, WebSocketMessage message);

    /** The connection has closed (after a close handshake, or without one: 1006). */
    default void onClose(WebSocket socket, WebSocketClose close) {
    }

    /**
     * A callback threw or its stage failed: herd logs it and closes with 1011, unless this
     * returns having closed the socket itself.
     */
    default void onError(WebSocket socket, Throwable error) {
    }
}
