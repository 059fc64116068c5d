package dev.herd.http;

/**
 * The HTTP layer's hold on one dispatched request, used when {@code --request-timeout} passes:
 * the client has already been answered, and the execution model stops what it can (blocking
 * models interrupt the thread running the request, or skip a request still queued).
 */
@FunctionalInterface
public interface Cancellable {

    /** For models that cannot stop a running request: the late outcome is simply dropped. */
    Cancellable NONE = () -> { };

    /** Called at most once, on the connection's event loop: must not block. */
    void cancel();
}
