package dev.herd.http.ws;

import dev.herd.api.WebSocketListener;
import dev.herd.api.WebSocketMessage;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands messages to an app's {@link WebSocketListener}, one at a time: the next only once the
 * stage the listener returned for the last has completed. Messages that arrive meanwhile (one
 * socket read can hold many) wait here, and the socket is not read until they are delivered.
 * Event loop only.
 */
final class ListenerInbox implements Inbox {

    private final WebSocketConnection connection;
    private final WebSocketListener listener;
    private final ArrayDeque<WebSocketMessage> backlog = new ArrayDeque<>();
    /** A listener's stage is outstanding. */
    private boolean busy;
    private boolean paused;
    private boolean ended;

    ListenerInbox(WebSocketConnection connection, WebSocketListener listener) {
        this.connection = connection;
        this.listener = listener;
    }

    @Override
    public void offer(WebSocketMessage message) {
        if (busy) {
            if (!paused) {
                paused = true;
                connection.pauseReading();
            }
            backlog.add(message);
            return;
        }
        deliver(message);
        drainBacklog();
    }

    @Override
    public void end() {
        ended = true;
        backlog.clear();
    }

    /** Delivers {@code message}; on return {@link #busy} tells whether its stage is still running. */
    private void deliver(WebSocketMessage message) {
        CompletionStage<?> stage;
        try {
            stage = listener.onMessage(connection, message);
        } catch (Throwable t) {
            connection.listenerFailed(t);
            return;
        }
        if (stage == null) {
            return;
        }
        CompletableFuture<?> future = stage.toCompletableFuture();
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return;
        }
        busy = true;
        future.whenComplete((ignored, error) -> connection.onLoop(() -> {
            busy = false;
            if (error != null) {
                connection.listenerFailed(error);
                return;
            }
            drainBacklog();
            if (paused && !busy && !ended) {
                paused = false;
                connection.resumeReading();
            }
        }));
    }

    private void drainBacklog() {
        WebSocketMessage next;
        while (!busy && !ended && (next = backlog.poll()) != null) {
            deliver(next);
        }
    }
}
