package dev.herd.http;

import dev.herd.api.Headers;
import dev.herd.api.Request;
import dev.herd.api.Response;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The last handler of a connection's pipeline: turns each complete request into an app
 * {@link Request}, hands it to the {@link RequestDispatcher}, and writes the response.
 *
 * <p>One instance per connection; every method runs on the connection's event loop. A
 * connection has at most one request in the app at a time: pipelined requests wait in
 * {@link #pending}, so responses leave in request order whatever thread finishes first.
 */
final class HttpRequestChannelHandler extends ChannelInboundHandlerAdapter {

    /** Fired down every pipeline when the worker starts draining. */
    static final Object DRAIN = new Object();

    private static final Logger log = LoggerFactory.getLogger(HttpRequestChannelHandler.class);

    private final RequestDispatcher dispatcher;
    private final ServerStats stats;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>(2);
    private boolean busy;

    HttpRequestChannelHandler(RequestDispatcher dispatcher, ServerStats stats) {
        this.dispatcher = dispatcher;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connections.incrementAndGet();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.connections.decrementAndGet();
        FullHttpRequest request;
        while ((request = pending.poll()) != null) {
            request.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        pending.add(request);
        if (!busy) {
            serveNext(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DRAIN) {
            if (!busy && pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (reset by peer and the like) end the connection, never the worker.
        log.debug("connection error: {}", cause.toString());
        ctx.close();
    }

    private void serveNext(ChannelHandlerContext ctx) {
        FullHttpRequest nettyRequest = pending.poll();
        if (nettyRequest == null) {
            if (stats.draining) {
                ctx.close();
            }
            return;
        }
        busy = true;
        DecoderResult result = nettyRequest.decoderResult();
        if (result.isFailure()) {
            nettyRequest.release();
            writeRejection(ctx, statusFor(result.cause()), result.cause().toString());
            return;
        }
        if (nettyRequest.protocolVersion().majorVersion() != 1 || nettyRequest.protocolVersion().minorVersion() > 1) {
            String version = nettyRequest.protocolVersion().text();
            nettyRequest.release();
            writeRejection(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, version);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(nettyRequest);
        HttpVersion version = nettyRequest.protocolVersion();
        Request request;
        try {
            request = toRequest(ctx, nettyRequest);
        } finally {
            nettyRequest.release();
        }
        stats.inFlight.incrementAndGet();
        EventLoop loop = ctx.channel().eventLoop();
        dispatcher.dispatch(request, loop, new Sink(ctx, loop, request, version, keepAlive));
    }

    private static Request toRequest(ChannelHandlerContext ctx, FullHttpRequest nettyRequest) {
        Headers.Builder headers = Headers.builder();
        for (Map.Entry<String, String> header : nettyRequest.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress address
                ? address : null;
        return Request.builder()
                .method(nettyRequest.method().name())
                .target(nettyRequest.uri())
                .headers(headers.build())
                .body(ByteBufUtil.getBytes(nettyRequest.content()))
                .remoteAddress(remote)
                .protocol(nettyRequest.protocolVersion().text())
                .build();
    }

    private static HttpResponseStatus statusFor(Throwable decoderFailure) {
        return switch (decoderFailure) {
            case TooLongHttpLineException e -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case TooLongHttpHeaderException e -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case TooLongFrameException e -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
    }

    /** Answers a request that never reaches the app, and closes: the byte stream cannot be trusted. */
    private void writeRejection(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        log.debug("rejected request from {} with {}: {}", ctx.channel().remoteAddress(), status.code(), why);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase() + "\n", StandardCharsets.UTF_8));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void write(ChannelHandlerContext ctx, Response response, HttpVersion version, boolean keepAlive) {
        boolean keepOpen = keepAlive && !stats.draining;
        FullHttpResponse nettyResponse = new DefaultFullHttpResponse(version,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.bodyBytes()));
        HttpHeaders headers = nettyResponse.headers();
        for (Map.Entry<String, List<String>> field : response.headers().asMap().entrySet()) {
            headers.add(field.getKey(), field.getValue());
        }
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.bodyBytes().length);
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        if (!keepOpen) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(nettyResponse).addListener(future -> {
            stats.inFlight.decrementAndGet();
            stats.requests.increment();
            busy = false;
            if (!keepOpen || !future.isSuccess()) {
                ctx.close();
            } else {
                serveNext(ctx);
            }
        });
    }

    /** Delivers one request's outcome back on the connection's event loop, once. */
    private final class Sink implements ResponseSink {
        private final ChannelHandlerContext ctx;
        private final EventLoop loop;
        private final Request request;
        private final HttpVersion version;
        private final boolean keepAlive;
        private final AtomicBoolean done = new AtomicBoolean();

        Sink(ChannelHandlerContext ctx, EventLoop loop, Request request, HttpVersion version, boolean keepAlive) {
            this.ctx = ctx;
            this.loop = loop;
            this.request = request;
            this.version = version;
            this.keepAlive = keepAlive;
        }

        @Override
        public void complete(Response response) {
            if (response == null) {
                fail(new NullPointerException("the app returned no response"));
                return;
            }
            deliver(response);
        }

        @Override
        public void fail(Throwable cause) {
            log.error("app failed on {}", request, cause);
            deliver(Response.text(500, "Internal Server Error\n"));
        }

        private void deliver(Response response) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (loop.inEventLoop()) {
                write(ctx, response, version, keepAlive);
            } else {
                loop.execute(() -> write(ctx, response, version, keepAlive));
            }
        }
    }
}
