package dev.herd.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request handed on as soon as its header is read, while its body still arrives: the
 * router feeds {@link #body()} and the app reads it. See {@link HttpBodyRouter} for when.
 */
final class StreamedHttpRequest extends DefaultHttpRequest {

    private final StreamedRequestBody body;

    StreamedHttpRequest(HttpRequest head, StreamedRequestBody body) {
        super(head.protocolVersion(), head.method(), head.uri(), head.headers());
        setDecoderResult(head.decoderResult());
        this.body = body;
    }

    StreamedRequestBody body() {
        return body;
    }
}
