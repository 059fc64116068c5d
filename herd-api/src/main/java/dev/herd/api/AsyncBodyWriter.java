package dev.herd.api;

import java.util.concurrent.CompletionStage;

/**
 * Writes a streamed response body without blocking ({@link Response.Builder#streamAsync}): herd
 * calls it once the status and header fields are sent, on the connection's event loop under
 * {@code async} (on the request's thread otherwise). The body ends when the returned stage
 * completes (herd ends it if the app did not); a failed stage cuts the body short.
 */
@FunctionalInterface
public interface AsyncBodyWriter {

    CompletionStage<Void> writeTo(BodyOutput out) throws Exception;
}
