package dev.herd.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Decides, per request, whether its body is read whole before the app runs or streamed to the
 * app while it arrives, and enforces {@code --limit-request-body} either way.
 * <ul>
 *   <li>No body: the decoder's complete request passes through.</li>
 *   <li>A body of known length up to {@code --body-buffer}: collected, then handed on complete
 *       ({@link FullHttpRequest}): the common case, as cheap as before streams existed.</li>
 *   <li>A chunked body: collected while it fits in {@code --body-buffer}; if it outgrows it, the
 *       request is handed on as a {@link StreamedHttpRequest} carrying what came so far.</li>
 *   <li>A larger body, or a client that waits for {@code 100 Continue}: handed on at once as a
 *       {@link StreamedHttpRequest}; the connection's handler sends the 100 when the app first
 *       reads.</li>
 * </ul>
 * A body announced over the limit is refused (413) before a byte of it is read, so a client
 * waiting for {@code 100 Continue} never sends it. A chunked body that passes the limit while
 * streaming fails the app's read and fires {@link BodyRefused}; the handler answers 413 when
 * no response has started. Refusals travel as failed requests so the handler answers them in
 * order and closes: after a refused body the byte stream cannot be trusted.
 */
final class HttpBodyRouter extends ChannelInboundHandlerAdapter {

    /** Fired down the pipeline when a streamed body is refused mid-way (too large, malformed, too slow). */
    record BodyRefused(StreamedRequestBody body, HttpRejection why) {
    }

    private final long maxBodyBytes;
    private final int bufferBytes;
    /** The request whose body is being collected, or null. */
    private HttpRequest collecting;
    private CompositeByteBuf collected;
    /** The streamed body being fed, or null. */
    private StreamedRequestBody streaming;
    /** After a refusal: everything up to the end of that request is dropped (the decoder then discards too). */
    private boolean discarding;

    HttpBodyRouter(long maxBodyBytes, int bufferBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.bufferBytes = bufferBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest complete) {
            discarding = false;
            ctx.fireChannelRead(complete);
        } else if (msg instanceof HttpRequest head) {
            discarding = false;
            start(ctx, head);
        } else if (msg instanceof HttpContent content) {
            content(ctx, content);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            refuse(ctx, head, null);
            return;
        }
        String expectation = head.headers().get(HttpHeaderNames.EXPECT);
        boolean expectsContinue = false;
        if (expectation != null && !head.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expectation)) {
                refuse(ctx, head, new HttpRejection(HttpResponseStatus.EXPECTATION_FAILED,
                        "unsupported expectation " + expectation));
                return;
            }
            expectsContinue = true;
        }
        long length = HttpUtil.getContentLength(head, -1L);
        if (length > maxBodyBytes) {
            refuse(ctx, head, new HttpRejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body of " + length + " bytes over " + maxBodyBytes));
            return;
        }
        if (expectsContinue || length > bufferBytes) {
            streaming = new StreamedRequestBody(ctx.channel(), length);
            ctx.fireChannelRead(new StreamedHttpRequest(head, streaming));
        } else {
            collecting = head;
            collected = ctx.alloc().compositeBuffer(64);
        }
    }

    private void content(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (discarding) {
            content.release();
            if (last) {
                discarding = false;
            }
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            HttpRejection why = new HttpRejection(HttpResponseStatus.BAD_REQUEST,
                    "malformed body: " + content.decoderResult().cause());
            failBody(ctx, why);
            return;
        }
        if (collecting != null) {
            collect(ctx, content, last);
        } else if (streaming != null) {
            stream(ctx, content, last);
        } else {
            content.release();
        }
    }

    private void collect(ChannelHandlerContext ctx, HttpContent content, boolean last) {
        ByteBuf bytes = content.content();
        if (collected.readableBytes() + (long) bytes.readableBytes() > maxBodyBytes) {
            content.release();
            HttpRequest head = collecting;
            dropCollected();
            refuse(ctx, head, new HttpRejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body over " + maxBodyBytes + " bytes"));
            return;
        }
        if (bytes.isReadable()) {
            collected.addComponent(true, bytes.retain());
        }
        content.release();
        if (last) {
            FullHttpRequest complete = new DefaultFullHttpRequest(collecting.protocolVersion(), collecting.method(),
                    collecting.uri(), collected, collecting.headers(), EmptyHttpHeaders.INSTANCE);
            collecting = null;
            collected = null;
            ctx.fireChannelRead(complete);
        } else if (collected.readableBytes() > bufferBytes) {
            // A chunked body outgrew the buffer: the app gets it as a stream, starting with what came.
            streaming = new StreamedRequestBody(ctx.channel(), -1);
            HttpRequest head = collecting;
            ByteBuf prefix = collected;
            collecting = null;
            collected = null;
            ctx.fireChannelRead(new StreamedHttpRequest(head, streaming));
            streaming.offer(prefix);
        }
    }

    private void stream(ChannelHandlerContext ctx, HttpContent content, boolean last) {
        StreamedRequestBody body = streaming;
        if (body.receivedBytes() + content.content().readableBytes() > maxBodyBytes) {
            content.release();
            failBody(ctx, new HttpRejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body over " + maxBodyBytes + " bytes"));
            return;
        }
        body.offer(content.content());
        if (last) {
            streaming = null;
            body.finish();
        }
    }

    /** The body in progress cannot complete: refuse it, drop the rest. */
    private void failBody(ChannelHandlerContext ctx, HttpRejection why) {
        discarding = true;
        if (collecting != null) {
            HttpRequest head = collecting;
            dropCollected();
            refuse(ctx, head, why);
        } else if (streaming != null) {
            StreamedRequestBody body = streaming;
            streaming = null;
            // The refusal claims the exchange before the app's read fails (see the stall check).
            ctx.fireUserEventTriggered(new BodyRefused(body, why));
            body.fail(why);
        }
    }

    private void dropCollected() {
        collected.release();
        collected = null;
        collecting = null;
    }

    /** Hands on {@code head} as a failed request without a body, and drops its body. */
    private void refuse(ChannelHandlerContext ctx, HttpRequest head, HttpRejection why) {
        discarding = true;
        FullHttpRequest refused = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.buffer(0), head.headers(), EmptyHttpHeaders.INSTANCE);
        refused.setDecoderResult(why == null ? head.decoderResult() : DecoderResult.failure(why));
        ctx.fireChannelRead(refused);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (collected != null) {
            dropCollected();
        }
        if (streaming != null) {
            streaming.fail(new java.io.IOException("the client closed the connection before the body's end"));
            streaming = null;
        }
        ctx.fireChannelInactive();
    }
}
