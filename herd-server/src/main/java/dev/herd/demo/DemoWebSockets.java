package dev.herd.demo;

import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.WebSocket;
import dev.herd.api.WebSocketListener;
import dev.herd.api.WebSocketMessage;

import java.util.concurrent.CompletionStage;

/**
 * The demo's WebSocket endpoint, {@code /ws/echo}: every message comes back as it was sent.
 * The blocking form holds a thread per connection (a parked virtual thread under
 * {@code virtual}); the listener form answers on the event loop, and the next message is taken
 * only once the echo has drained (the stage {@code send} returns), so a client that sends
 * faster than it reads is slowed down instead of filling the worker's memory.
 */
final class DemoWebSockets {

    private DemoWebSockets() {
    }

    static Response echo(Request request) {
        return Response.webSocket(DemoWebSockets::echoBlocking);
    }

    private static void echoBlocking(WebSocket socket) throws Exception {
        for (WebSocketMessage message; (message = socket.receive()) != null; ) {
            socket.sendAndWait(message);
        }
    }

    static Response echoAsync(Request request) {
        return Response.webSocketAsync(new WebSocketListener() {
            @Override
            public CompletionStage<?> onMessage(WebSocket socket, WebSocketMessage message) {
                return socket.send(message);
            }
        });
    }
}
