package dev.herd.api.state;

/**
 * The store could not be reached in time (Redis stopped, a network partition). Nothing is known
 * about whether a write that failed this way took effect. A request handler that lets it escape
 * gets a 503 Service Unavailable.
 */
public class StateUnavailableException extends StateException {

    public StateUnavailableException(String message) {
        super(message);
    }

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
