package dev.herd.api;

/**
 * Optional hooks an app class may implement to learn when its worker starts and stops.
 *
 * <p>Both run on the worker's boot thread, outside any request. {@link #started} runs before
 * the worker reports ready: an exception there is a boot failure (the worker exits and the
 * master sees a failed boot). {@link #stopping} runs once no request is in flight, during a
 * graceful stop; it is not called when the worker is halted or killed.
 */
public interface Lifecycle {

    /** Called once in each worker process before it accepts any request. */
    default void started(WorkerInfo worker) throws Exception {
    }

    /** Called once when the worker stops gracefully, after its last request. */
    default void stopping() throws Exception {
    }
}
