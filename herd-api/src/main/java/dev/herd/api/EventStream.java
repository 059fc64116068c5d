package dev.herd.api;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * An open {@code text/event-stream} response ({@link Response#events}, {@link Response#eventsAsync}).
 * herd sends a comment every {@code --sse-heartbeat} while the app is quiet, so proxies and
 * clients see the stream is alive and a client that has gone is noticed; it ends the stream when
 * the worker starts draining (the browser's {@code EventSource} then reconnects, to a worker of
 * the new generation).
 */
public interface EventStream {

    /**
     * Sends {@code event} now; never blocks.
     *
     * @return completes when it has drained below the connection's high-water mark; fails with
     *         an {@link IOException} when the stream has ended or the client is gone
     */
    CompletionStage<Void> send(ServerSentEvent event);

    /** Sends an unnamed event carrying {@code data}; never blocks. */
    default CompletionStage<Void> send(String data) {
        return send(ServerSentEvent.of(data));
    }

    /**
     * Sends {@code event} and waits while the client lags: the blocking style for {@code sync},
     * {@code threads} and {@code virtual}. Not on an event loop thread.
     *
     * @throws IOException the stream has ended or the client is gone
     */
    void sendAndWait(ServerSentEvent event) throws IOException, InterruptedException;

    /** Sends a comment line (ignored by clients). */
    CompletionStage<Void> comment(String text);

    /** The {@code Last-Event-ID} the client sent when it reconnected, if any. */
    Optional<String> lastEventId();

    /** False once the stream has ended or the client has gone. */
    boolean isOpen();

    /** Completes when the stream ends: the app ended it, the client went away, or the worker drains. */
    CompletionStage<Void> closed();

    /** Ends the stream. */
    CompletionStage<Void> end();
}
