package dev.herd.bench.apps;

import dev.herd.api.AsyncContext;
import dev.herd.api.AsyncHandler;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.WebSocket;
import dev.herd.api.WebSocketClose;
import dev.herd.api.WebSocketListener;
import dev.herd.api.WebSocketMessage;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * examples' ChatApp without its announcements, for bench/ws.sh: every message a member of
 * {@code /room} sends goes to every member, as in ChatApp, but joining and leaving are silent.
 * ChatApp tells every member of every join, so filling a room of n members sends n(n+1)/2
 * messages (50 million for 10,000), more than a bounded benchmark can wait for; this room
 * times the broadcast itself at that size. Built by bench/ws.sh against herd-api's jar.
 */
public final class RoomApp implements AsyncHandler {

    private final Set<WebSocket> members = ConcurrentHashMap.newKeySet();

    @Override
    public CompletionStage<Response> handleAsync(Request request, AsyncContext context) {
        Response response = request.path().equals("/room") && request.isWebSocketUpgrade()
                ? Response.webSocketAsync(new Member())
                : Response.text(404, "Not Found\n");
        return CompletableFuture.completedFuture(response);
    }

    private final class Member implements WebSocketListener {
        @Override
        public void onOpen(WebSocket socket) {
            members.add(socket);
        }

        @Override
        public CompletionStage<?> onMessage(WebSocket socket, WebSocketMessage message) {
            for (WebSocket member : members) {
                member.send(message);
            }
            return null;
        }

        @Override
        public void onClose(WebSocket socket, WebSocketClose close) {
            members.remove(socket);
        }
    }
}
