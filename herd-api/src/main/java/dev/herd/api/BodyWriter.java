package dev.herd.api;

/**
 * Writes a streamed response body with blocking calls ({@link Response.Builder#stream}). herd
 * calls it once the status and header fields are sent, on a thread that may block: the
 * request's own thread under {@code sync}, {@code threads} and {@code virtual}, an offload thread
 * under {@code async}. The body ends when it returns (herd ends it if the app did not); an
 * exception cuts the body short, which the client sees as a broken response.
 */
@FunctionalInterface
public interface BodyWriter {

    void writeTo(BodyOutput out) throws Exception;
}
