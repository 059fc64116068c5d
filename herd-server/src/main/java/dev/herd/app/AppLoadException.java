package dev.herd.app;

/** The app cannot be found, is not an app, or failed to construct; the message is one line. */
public final class AppLoadException extends Exception {

    public AppLoadException(String message) {
        super(message);
    }

    public AppLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
