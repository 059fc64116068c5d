package dev.herd.examples;

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
 * A chat room over WebSockets: open {@code /} in a few browser tabs. Every message a member
 * sends goes to every member. The room lives in the worker's memory, so run one worker
 * ({@code -w 1}): members connected to different workers would be in different rooms.
 *
 * <pre>
 * ./herd serve -w 1 -k async --app-jar examples/target/herd-examples.jar dev.herd.examples.ChatApp
 * </pre>
 *
 * Callbacks run on the event loop and never block. A broadcast does not wait for the slowest
 * member: each send's stage is dropped, and herd cuts off a member whose client stops reading
 * (--write-timeout, or 16 MiB unsent), so one stuck tab cannot stall the room.
 */
public final class ChatApp implements AsyncHandler {

    private final Set<WebSocket> members = ConcurrentHashMap.newKeySet();

    @Override
    public CompletionStage<Response> handleAsync(Request request, AsyncContext context) {
        Response response = switch (request.path()) {
            case "/chat" -> request.isWebSocketUpgrade()
                    ? Response.webSocketAsync(new Member(request.query("name").orElse("anonymous")))
                    : Response.text(426, "open it as a WebSocket\n");
            case "/" -> Response.status(200).header("content-type", "text/html; charset=utf-8").body(PAGE).build();
            default -> Response.text(404, "Not Found\n");
        };
        return CompletableFuture.completedFuture(response);
    }

    /** One member's connection. */
    private final class Member implements WebSocketListener {
        private final String name;

        Member(String name) {
            this.name = name.length() > 32 ? name.substring(0, 32) : name;
        }

        @Override
        public void onOpen(WebSocket socket) {
            members.add(socket);
            broadcast("* " + name + " joined (" + members.size() + " here)");
        }

        @Override
        public CompletionStage<?> onMessage(WebSocket socket, WebSocketMessage message) {
            broadcast(name + ": " + message.asText());
            return null;
        }

        @Override
        public void onClose(WebSocket socket, WebSocketClose close) {
            if (members.remove(socket)) {
                broadcast("* " + name + " left");
            }
        }
    }

    private void broadcast(String line) {
        for (WebSocket member : members) {
            member.send(line);
        }
    }

    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8"><title>herd chat</title>
            <pre id="log" style="height:20em;overflow:auto;border:1px solid #ccc"></pre>
            <form id="f"><input id="m" autofocus autocomplete="off" size="60"> <button>send</button></form>
            <script>
              const name = prompt("Your name?") || "anonymous";
              const log = document.getElementById("log");
              const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/chat?name="
                  + encodeURIComponent(name));
              ws.onmessage = e => { log.textContent += e.data + "\\n"; log.scrollTop = log.scrollHeight; };
              ws.onclose = e => { log.textContent += "* disconnected (" + e.code + ")\\n"; };
              document.getElementById("f").onsubmit = e => {
                e.preventDefault();
                const m = document.getElementById("m");
                if (m.value) { ws.send(m.value); m.value = ""; }
              };
            </script>
            """;
}
