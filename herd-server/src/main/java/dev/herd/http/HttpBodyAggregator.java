package dev.herd.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Reads each request's body whole, up to {@code --limit-request-body} bytes. Netty's aggregator
 * answers refusals (413, 417) itself, keeps keep-alive connections open after them, and writes
 * them ahead of responses still owed to earlier pipelined requests. Here a refusal becomes a
 * failed request handed on like any other, so the connection's handler answers it in order,
 * logs it, and closes the connection.
 */
final class HttpBodyAggregator extends HttpObjectAggregator {

    HttpBodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes, true);
    }

    /**
     * Sends {@code 100 Continue} only for a request that will be read: a client must not be
     * invited to send a body that is refused anyway.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (start.decoderResult().isFailure() || isContentLengthInvalid(start, maxContentLength)) {
            return null;
        }
        String expectation = start.headers().get(HttpHeaderNames.EXPECT);
        if (expectation != null && !start.protocolVersion().equals(HttpVersion.HTTP_1_0)
                && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expectation)) {
            start.setDecoderResult(DecoderResult.failure(new HttpRejection(HttpResponseStatus.EXPECTATION_FAILED,
                    "unsupported expectation " + expectation)));
            return null;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    /**
     * The body is (or, by its Content-Length, will be) too large. {@code oversized} is released by
     * the caller, so the failed request passed on is a copy without a body; the rest of the body
     * is discarded as it arrives, until the connection closes.
     */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        HttpRequest request = (HttpRequest) oversized;
        FullHttpRequest refused = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.buffer(0));
        refused.headers().set(request.headers());
        refused.setDecoderResult(DecoderResult.failure(new HttpRejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body over " + maxContentLength() + " bytes")));
        ctx.fireChannelRead(refused);
    }
}
