package dev.herd.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why herd refuses a request before the app sees it, with the status the client gets. Carried
 * as the cause of a failed {@code DecoderResult}, so every refusal, Netty's and herd's own,
 * takes the same path to the client: answered in request order, logged, connection closed.
 */
final class HttpRejection extends RuntimeException {

    private final HttpResponseStatus status;

    HttpRejection(HttpResponseStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    HttpResponseStatus status() {
        return status;
    }

    @Override
    public String toString() {
        return status.code() + " " + getMessage();
    }
}
