package dev.herd.api;

import java.util.concurrent.CompletionStage;

/**
 * Produces an event stream without blocking ({@link Response#eventsAsync}), called on the event
 * loop under {@code async}. The stream ends when the returned stage completes; to keep it open
 * until the client leaves, return {@link EventStream#closed()}.
 */
@FunctionalInterface
public interface AsyncEventWriter {

    CompletionStage<Void> writeTo(EventStream events) throws Exception;
}
