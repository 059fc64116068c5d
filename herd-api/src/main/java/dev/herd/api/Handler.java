package dev.herd.api;

/**
 * A blocking request handler: one request in, one response out (herd's WSGI).
 *
 * <p>Contract:
 * <ul>
 *   <li>Called under the {@code sync}, {@code threads} and {@code virtual} execution models, on
 *       a thread that may block (sleep, JDBC, file I/O). Under {@code threads} and
 *       {@code virtual} it is called concurrently from several threads: an app's shared fields
 *       must be thread-safe.</li>
 *   <li>An exception thrown here becomes a {@code 500} response; it is logged with its stack
 *       trace and the worker keeps serving.</li>
 *   <li>The thread may be interrupted when the request outlives its time limit; blocking calls
 *       should let {@link InterruptedException} propagate.</li>
 * </ul>
 */
@FunctionalInterface
public interface Handler {

    /** Serves one request. Never returns {@code null}. */
    Response handle(Request request) throws Exception;
}
