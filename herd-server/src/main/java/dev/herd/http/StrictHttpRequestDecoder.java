package dev.herd.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Netty's request decoder, made strict where leniency lets one byte stream be read as two
 * different requests (request smuggling), and made to enforce the per-field header limits that
 * Netty lacks. It also fires {@link #REQUEST_INCOMPLETE} when a request takes more than one read,
 * which is where the read timeout starts. One instance per connection.
 */
final class StrictHttpRequestDecoder extends HttpRequestDecoder {

    /**
     * User event fired down the pipeline, once per request, when a read ends with a request begun
     * and not complete. A request that arrives whole in one read, as nearly all do, never fires
     * it: its handler has no read timer to start and stop.
     */
    static final Object REQUEST_INCOMPLETE = new Object() {
        @Override
        public String toString() {
            return "REQUEST_INCOMPLETE";
        }
    };

    private final HttpOptions.Limits limits;
    private final HeadScanner head = new HeadScanner();
    /** The authority of the request being decoded when its target is in absolute form, else null. */
    private String absoluteAuthority;
    /** A request's first byte has been seen and its end not yet. */
    private boolean inRequest;
    /** REQUEST_INCOMPLETE has been fired for the request in progress. */
    private boolean announced;
    /** No new request is taken from the bytes read (the connection has enough waiting); see {@link #hold}. */
    private boolean held;

    StrictHttpRequestDecoder(HttpOptions.Limits limits) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderBlock())
                // Transfer-Encoding on HTTP/1.0, or not ending in chunked, is an error (RFC 9112 6.1).
                .setUseRfc9112TransferEncoding(true));
        this.limits = limits;
    }

    /**
     * Stops taking new requests from the bytes already read, or takes them again. The handler
     * holds when {@link PipelinedRequests#MAX} requests wait for their answers;
     * held, the socket is not read either, so a client that pipelines without reading its answers
     * costs a bounded amount of memory. A request already begun is still decoded to its end.
     * Event loop only.
     */
    void hold(ChannelHandlerContext ctx, boolean on) {
        if (on) {
            held = true;
            ctx.channel().config().setAutoRead(false);
            return;
        }
        // Bytes read while held are decoded, and the socket read again, once the caller's stack
        // has unwound: the caller may be inside this decoder's own read.
        ctx.executor().execute(() -> {
            held = false;
            if (!ctx.channel().isActive() || ctx.isRemoved()) {
                return;
            }
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
                channelReadComplete(ctx);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
            if (!held) {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    /** The client will send nothing more: whatever it sent is decoded and answered, held or not. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            held = false;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (!inRequest && held) {
            return;
        }
        if (!inRequest) {
            // RFC 9112 2.2: empty lines before a request line are ignored, so they start nothing.
            while (buffer.isReadable() && isLineBreak(buffer.getByte(buffer.readerIndex()))) {
                buffer.skipBytes(1);
            }
            if (!buffer.isReadable()) {
                return;
            }
            inRequest = true;
            announced = false;
            head.reset();
        }
        head.scan(buffer);
        int first = out.size();
        int before = buffer.readerIndex();
        super.decode(ctx, buffer, out);
        head.consumed(buffer.readerIndex() - before);
        for (int i = first; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest request && request.decoderResult().isSuccess()) {
                check(request);
                message = completeIfBodiless(request, out, i);
            }
            boolean failed = message instanceof HttpMessage m && m.decoderResult().isFailure();
            if (message instanceof LastHttpContent || failed) {
                inRequest = false;
            }
        }
        if (inRequest && !announced) {
            announced = true;
            ctx.fireUserEventTriggered(REQUEST_INCOMPLETE);
        }
    }

    /**
     * A request without a body (most GETs) comes out of Netty's decoder as two messages, the
     * request and an empty last content, which the aggregator would join into a composite buffer
     * of nothing. Here they become one complete request, which the aggregator passes on as it
     * is. Not when the request expects {@code 100-continue}: the aggregator answers that.
     */
    private static Object completeIfBodiless(HttpRequest request, List<Object> out, int i) {
        if (request instanceof FullHttpRequest || i + 1 >= out.size()
                || out.get(i + 1) != LastHttpContent.EMPTY_LAST_CONTENT
                || !request.decoderResult().isSuccess() || request.headers().contains(HttpHeaderNames.EXPECT)) {
            return request;
        }
        FullHttpRequest complete = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        out.set(i, complete);
        out.remove(i + 1);
        return complete;
    }

    /**
     * Both Content-Length and chunked: the two headers disagree on where the body ends, and a
     * proxy in front may have believed the other one. Netty's default drops Content-Length and
     * carries on unless its RFC 9112 mode is on; herd refuses whatever that flag says (RFC 9112
     * 6.3 allows either; refusing is the safe one).
     */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new HttpRejection(HttpResponseStatus.BAD_REQUEST, "both Content-Length and Transfer-Encoding: chunked");
    }

    /**
     * The request line's checks that need its raw words: Netty upper-cases the version, and
     * takes any target. Throwing here makes the request a failed one (400).
     */
    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        absoluteAuthority = null;
        RequestRules.checkVersion(initialLine[2]);
        RequestRules.checkTarget(initialLine[0], initialLine[1]);
        // RFC 9112 3.2.2: a target in absolute form names the host, and Host is ignored; the app
        // sees the path and query, and the target's authority as Host (see check).
        absoluteAuthority = RequestRules.authority(initialLine[1]);
        if (absoluteAuthority != null) {
            initialLine[1] = RequestRules.originForm(initialLine[1]);
        }
        return super.createMessage(initialLine);
    }

    /**
     * RFC 9112 6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
     * Netty would give one with {@code Sec-WebSocket-Key1} and {@code Key2} an 8-byte body (a
     * rule of the 2010 WebSocket draft), so herd and a proxy in front would disagree on where
     * the next request starts.
     */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        if (message instanceof HttpRequest) {
            HttpHeaders headers = message.headers();
            return !headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                    && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        }
        return super.isContentAlwaysEmpty(message);
    }

    @Override
    protected HttpMessage createInvalidMessage() {
        return new UnreadableHttpRequest(head.headMethod());
    }

    /** Marks a decoded request failed when it breaks a limit or a rule Netty does not apply. */
    private void check(HttpRequest request) {
        try {
            checkLimits(request.headers());
            if (head.folded()) {
                throw new HttpRejection(HttpResponseStatus.BAD_REQUEST, "a header line folded (obs-fold)");
            }
            RequestRules.checkHost(request.headers(), request.protocolVersion());
            RequestRules.checkTransferCodings(request.headers());
            if (absoluteAuthority != null) {
                request.headers().set(HttpHeaderNames.HOST, absoluteAuthority);
            }
        } catch (HttpRejection rejection) {
            request.setDecoderResult(DecoderResult.failure(rejection));
        }
    }

    private void checkLimits(HttpHeaders headers) {
        if (headers.size() > limits.maxHeaderFields()) {
            throw tooLarge("more than " + limits.maxHeaderFields() + " header fields");
        }
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            if (field.getKey().length() + field.getValue().length() > limits.maxHeaderFieldSize()) {
                throw tooLarge("header field " + field.getKey() + " over " + limits.maxHeaderFieldSize() + " bytes");
            }
        }
    }

    private static HttpRejection tooLarge(String reason) {
        return new HttpRejection(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, reason);
    }

    private static boolean isLineBreak(byte b) {
        return b == '\r' || b == '\n';
    }
}
