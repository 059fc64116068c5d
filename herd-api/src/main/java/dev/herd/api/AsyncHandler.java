package dev.herd.api;

import java.util.concurrent.CompletionStage;

/**
 * A non-blocking request handler returning a stage that completes with the response (herd's
 * ASGI).
 *
 * <p>Contract:
 * <ul>
 *   <li>Under the {@code async} execution model it is called on the connection's event loop
 *       thread. <b>It must never block</b>: one blocked call stalls every connection on that
 *       loop, and a loop stuck for {@code --timeout} gets the worker killed as hung. Run
 *       blocking work with {@link AsyncContext#offload} and wait with
 *       {@link AsyncContext#delay}.</li>
 *   <li>Stages returned by {@code offload} and {@code delay} complete on the event loop, so
 *       code chained on them runs there too and needs no locking for per-connection state.</li>
 *   <li>An exception thrown here, or a stage completed exceptionally, becomes a {@code 500};
 *       it is logged and the worker keeps serving.</li>
 *   <li>Under the blocking models it is called on the model's thread and the stage is awaited
 *       there.</li>
 * </ul>
 */
@FunctionalInterface
public interface AsyncHandler {

    /** Starts serving one request. Never returns {@code null}. */
    CompletionStage<Response> handleAsync(Request request, AsyncContext context) throws Exception;
}
