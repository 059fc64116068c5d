package dev.herd.app;

import dev.herd.api.Request;
import dev.herd.http.ResponseSink;

/**
 * An app that answers through the response sink itself, while it runs, rather than by
 * returning a {@code Response}: the JDK's {@code HttpExchange} sends its status and header when
 * the app says so and streams the body after. Run by the blocking models on their own threads.
 * Never throws: the handler reports its own failures to the sink.
 */
@FunctionalInterface
public interface ExchangeHandler {

    void handle(Request request, ResponseSink sink);
}
