package dev.herd.http;

import dev.herd.api.WebSocketListener;
import dev.herd.http.ws.WebSocketConnection;
import dev.herd.api.BodyOutput;
import dev.herd.api.EventStream;
import dev.herd.api.Response;

/**
 * Where an execution model delivers the outcome of one request, from any thread. Exactly one
 * of {@link #complete}, {@link #fail}, {@link #stream}, {@link #events} or {@link #upgrade} is
 * called, once. When
 * {@code --request-timeout} has already answered the client, the call is accepted and its
 * outcome dropped (a stream then takes nothing: its writes fail).
 */
public interface ResponseSink {

    /**
     * The app is about to start on the request: what it waited since its head arrived is its
     * queue time (for a thread, or a turn under a concurrency limit). Called once, on the thread
     * that would run the app, before anything else.
     *
     * @return false when the request must not run after all (it waited past {@code
     *         --queue-timeout} and has its answer): the model then only frees its place
     */
    default boolean started() {
        return true;
    }

    /** A response whose body is bytes or a file. */
    void complete(Response response);

    /** The app threw or its stage failed: the client gets a 500 and the cause is logged. */
    void fail(Throwable cause);

    /**
     * Sends the status and header fields of {@code head} (its body is ignored) and returns where
     * its body goes; the caller writes it and ends it.
     */
    BodyOutput stream(Response head);

    /** As {@link #stream}, for a {@code text/event-stream} (heartbeat, ended on drain). */
    EventStream events(Response head);

    /**
     * The app's writer failed after {@link #stream} or {@link #events}: the body is cut short and
     * the connection closes, so the client cannot take the part for the whole.
     */
    void cut(Throwable cause);

    /**
     * Answers the request's upgrade to a WebSocket with {@code head}'s headers (a 101), or refuses
     * it (400, 403, 426) when the request is no valid upgrade or its origin is not allowed.
     *
     * @param listener the app's callbacks, or null for an app that calls {@code receive()}
     * @return the WebSocket, already usable (what is sent before the 101 is out follows it), or
     *         null when refused or the request was already answered
     */
    WebSocketConnection upgrade(Response head, WebSocketListener listener);
}
