package dev.herd.api.state;

/** The store refused a command (an increment of a value that is not an integer, say). */
public class StateException extends RuntimeException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
