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
     * Sets the backend up, or fails with one line that says why (a URI it cannot use). A store
     * that cannot be reached yet must not fail the worker: calls fail with
     * {@link dev.herd.api.state.StateUnavailableException} (a 503) until it can be, as they do
     * when it goes away later.
     */
    StateBackend open(URI uri, StateOptions options) throws Exception;
}
