package dev.herd.api;

/**
 * Produces an event stream with blocking calls ({@link Response#events}), on a thread that may
 * block (an offload thread under {@code async}). The stream ends when it returns. Under
 * {@code sync} an open stream holds the worker's only thread for its whole life.
 */
@FunctionalInterface
public interface EventWriter {

    void writeTo(EventStream events) throws Exception;
}
