package dev.herd.http;

import dev.herd.api.Headers;
import dev.herd.api.Request;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.Iterator;
import java.util.Map;

/** Netty's view of a request to the app's ({@link Request}), and what a refused one is answered. */
final class AppRequests {

    private AppRequests() {
    }

    /** The app's request: header names in lower case, the body whole or {@code streamedBody}. */
    static Request toRequest(HttpRequest nettyRequest, StreamedRequestBody streamedBody,
                                     ForwardedHeaders.Origin origin) {
        Headers.Builder headers = Headers.builder();
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = nettyRequest.headers().iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            headers.add(HeaderNames.lowerCase(field.getKey()), field.getValue().toString());
        }
        Request.Builder request = Request.builder()
                .method(nettyRequest.method().name())
                .target(nettyRequest.uri())
                .headers(headers.build());
        if (streamedBody != null) {
            request.body(streamedBody);
        } else if (nettyRequest instanceof FullHttpRequest full && full.content().isReadable()) {
            request.body(ByteBufUtil.getBytes(full.content()));
        }
        return request.remoteAddress(origin.remoteAddress())
                .scheme(origin.scheme())
                .protocol(nettyRequest.protocolVersion().text())
                .build();
    }

    /** The status a request the decoder could not take gets. */
    static HttpResponseStatus statusFor(Throwable decoderFailure) {
        return switch (decoderFailure) {
            case HttpRejection rejection -> rejection.status();
            case TooLongHttpLineException e -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case TooLongHttpHeaderException e -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case TooLongFrameException e -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
    }
}
