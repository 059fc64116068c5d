package dev.herd.state;

import java.net.URI;

/**
 * A backend with heavy dependencies (Redis) lives in its own module and is found with
 * {@link java.util.ServiceLoader}, like an engine: only workers that use it load its classes.
 */
public interface StateBackendProvider {

    /** The URI scheme of {@code --state} it serves, e.g. {@code redis}. */
    String scheme();

    /**
     * Connects, or fails with one line that says why (a worker that cannot reach its state at boot
     * does not start). Later failures surface per call, as
     * {@link dev.herd.api.state.StateUnavailableException}.
     */
    StateBackend open(URI uri, StateOptions options) throws Exception;
}
