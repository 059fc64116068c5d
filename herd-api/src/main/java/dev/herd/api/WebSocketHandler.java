package dev.herd.api;

/**
 * Serves one WebSocket with blocking calls ({@link Response#webSocket}): read with
 * {@link WebSocket#receive()} until it returns {@code null}, answer with
 * {@link WebSocket#sendAndWait}. When it returns the connection is closed normally (1000) if it
 * is still open; when it throws, with 1011 and the error logged.
 *
 * <pre>{@code
 * return Response.webSocket(ws -> {
 *     for (WebSocketMessage m; (m = ws.receive()) != null; ) {
 *         ws.sendAndWait(m);
 *     }
 * });
 * }</pre>
 *
 * <p>It runs on the request's thread (under {@code async}, on the offload pool) and holds it for
 * the connection's life: under {@code sync} the worker serves nothing else meanwhile.
 */
@FunctionalInterface
public interface WebSocketHandler {

    void serve(WebSocket socket) throws Exception;
}
