package dev.herd.demo;

import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.WebSocket;
import dev.herd.api.WebSocketClose;
import dev.herd.api.WebSocketListener;
import dev.herd.api.WebSocketMessage;
import dev.herd.api.WorkerInfo;
import dev.herd.api.state.ChannelMessage;
import dev.herd.api.state.SharedState;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's chat room, {@code /ws/chat?name=NAME}, one room across every worker: a member's
 * message is published on the shared state's {@code demo:chat} channel, and each worker sends
 * what it hears there to its own members. Members connected to different workers talk; the
 * room's size is each worker's business, so joins say which worker took the member.
 * Listeners never block: a publish is a stage that is not waited for, and a slow member is cut
 * off by herd (--write-timeout) rather than slowing the room.
 */
final class DemoChat {

    static final String CHANNEL = "demo:chat";

    private final Set<WebSocket> members = ConcurrentHashMap.newKeySet();
    private volatile WorkerInfo worker;

    void started(WorkerInfo worker) {
        this.worker = worker;
        SharedState.current().subscribe(CHANNEL, this::heard);
    }

    private void heard(ChannelMessage message) {
        String line = message.text();
        for (WebSocket member : members) {
            member.send(line);
        }
    }

    Response join(Request request) {
        if (!request.isWebSocketUpgrade()) {
            return Response.text(426, "open it as a WebSocket\n");
        }
        String given = request.query("name").orElse("anonymous");
        String name = given.length() > 32 ? given.substring(0, 32) : given;
        return Response.webSocketAsync(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket socket) {
                members.add(socket);
                say("* " + name + " joined on worker " + worker.index());
            }

            @Override
            public CompletionStage<?> onMessage(WebSocket socket, WebSocketMessage message) {
                say(name + ": " + message.asText());
                return null;
            }

            @Override
            public void onClose(WebSocket socket, WebSocketClose close) {
                if (members.remove(socket)) {
                    say("* " + name + " left");
                }
            }
        });
    }

    private static void say(String line) {
        SharedState.current().async().publish(CHANNEL, line);
    }
}
