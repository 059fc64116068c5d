package dev.herd.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Stands for a request whose request line never arrived or could not be read (garbage, a line
 * too long, a read timeout): it is always a failed request, and its method and target are
 * placeholders that the access log must not report as if the client had sent them.
 */
final class UnreadableHttpRequest extends DefaultFullHttpRequest {

    /** The line began with {@code HEAD }: the refusal goes out without a body. */
    private final boolean head;

    UnreadableHttpRequest(boolean head) {
        super(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.buffer(0));
        this.head = head;
    }

    UnreadableHttpRequest(Throwable failure) {
        this(false);
        setDecoderResult(DecoderResult.failure(failure));
    }

    boolean head() {
        return head;
    }
}
