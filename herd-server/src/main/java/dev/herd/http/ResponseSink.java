package dev.herd.http;

import dev.herd.api.Response;

/**
 * Where an execution model delivers the outcome of one request. Exactly one of the two methods
 * is called, once, from any thread. When {@code --request-timeout} has already answered the
 * client, the call is accepted and its outcome dropped.
 */
public interface ResponseSink {

    void complete(Response response);

    /** The app threw or its stage failed: the client gets a 500 and the cause is logged. */
    void fail(Throwable cause);
}
