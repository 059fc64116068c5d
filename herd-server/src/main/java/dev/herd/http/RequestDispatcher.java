package dev.herd.http;

import dev.herd.api.Request;

import java.util.concurrent.ScheduledExecutorService;

/**
 * How the HTTP layer hands a parsed request to whatever runs the app (an execution model).
 * Called on the connection's event loop: implementations must not block.
 */
public interface RequestDispatcher {

    /**
     * @param request   the complete request
     * @param eventLoop the connection's event loop, for work that must run there
     * @param sink      receives the response, from any thread
     * @return how to stop the request if it outlives {@code --request-timeout}
     */
    Cancellable dispatch(Request request, ScheduledExecutorService eventLoop, ResponseSink sink);
}
