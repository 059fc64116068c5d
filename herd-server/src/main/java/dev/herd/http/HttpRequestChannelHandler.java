package dev.herd.http;

import dev.herd.api.Headers;
import dev.herd.api.Request;
import dev.herd.api.Response;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The last handler of a connection's pipeline: turns each complete request into an app
 * {@link Request}, hands it to the {@link RequestDispatcher}, writes the response, and keeps
 * the connection's timeouts.
 *
 * <p>One instance per connection; every method runs on the connection's event loop. A
 * connection has at most one request in the app at a time: pipelined requests wait in
 * {@link #pending}, so responses leave in request order whatever thread finishes first.
 * Requests refused before the app (limits, malformed, read timeout) wait their turn the same
 * way, then get their status and the connection closes: after a bad request the byte stream
 * cannot be trusted.
 */
final class HttpRequestChannelHandler extends ChannelInboundHandlerAdapter {

    /** Fired down every pipeline when the worker starts draining. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private static final Logger log = LoggerFactory.getLogger(HttpRequestChannelHandler.class);
    /** How long a refused client may go on sending (and being ignored) before its connection is closed. */
    private static final Duration LINGER = Duration.ofSeconds(2);

    private final RequestDispatcher dispatcher;
    private final ServerStats stats;
    private final HttpOptions.Timeouts timeouts;
    private final ForwardedHeaders forwarded;
    private final AccessLog accessLog;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>(2);
    private final ConnectionTimer idleTimer = new ConnectionTimer();
    private final ConnectionTimer readTimer = new ConnectionTimer();
    // idle (idle timer runs) -> reading: a read left a request unfinished (read timer runs) -> the
    // request is complete: busy while it is in the app and its response is written -> idle.
    // Requests complete while busy wait in pending; reading and busy can overlap (pipelining).
    private boolean reading;
    private boolean busy;
    /** A request was refused: its answer is out, our side is shut, and all input is dropped. */
    private boolean lingering;
    /** The client shut its side (half-close, or gone): what it sent is answered, then the connection closes. */
    private boolean inputClosed;
    /** The peer as the client, and whether it may say otherwise: fixed for the connection, so worked out once. */
    private ForwardedHeaders.Origin directOrigin;
    private boolean peerTrusted;
    // The timers' tasks, made once: a keep-alive connection arms its timers on every request.
    private Runnable closeIfIdle;
    private Runnable readTimedOut;

    HttpRequestChannelHandler(RequestDispatcher dispatcher, ServerStats stats, HttpOptions.Timeouts timeouts,
                              ForwardedHeaders forwarded, AccessLog accessLog) {
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.timeouts = timeouts;
        this.forwarded = forwarded;
        this.accessLog = accessLog;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        closeIfIdle = () -> closeIfIdle(ctx);
        readTimedOut = () -> readTimedOut(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connections.incrementAndGet();
        // A new connection has --read-timeout to send its first request; silence is not a 408.
        idleTimer.arm(ctx, idleLimit(timeouts.read()), closeIfIdle);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.connections.decrementAndGet();
        idleTimer.cancel();
        readTimer.cancel();
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
        if (lingering) {
            request.release();
            return;
        }
        reading = false;
        readTimer.cancel();
        idleTimer.cancel();
        pending.add(request);
        if (!busy) {
            serveNext(ctx, now(ctx));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == StrictHttpRequestDecoder.REQUEST_INCOMPLETE) {
            if (lingering) {
                return;
            }
            reading = true;
            idleTimer.cancel();
            readTimer.arm(ctx, timeouts.read(), readTimedOut);
        } else if (event instanceof ChannelInputShutdownEvent) {
            clientDoneSending(ctx);
        } else if (event == DRAIN) {
            // Closing an idle keep-alive connection at once would race with a client that is
            // sending its next request on it right now: that request would fail, and reloads
            // and scale-downs promise zero failed requests. So an idle connection gets a short
            // quiet period first; any request that comes is answered with Connection: close.
            if (idle()) {
                idleTimer.arm(ctx, timeouts.drainIdle(), closeIfIdle);
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (reset by peer and the like) end the connection, never the worker.
        log.debug("connection error: {}", cause.toString());
        ctx.close();
    }

    /**
     * The client will send nothing more: it half-closed after its request (as {@code nc -N} and
     * some scripts do) or closed. A request it completed is still answered, as Gunicorn and Puma
     * answer it, with {@code Connection: close}; a request cut short can never complete and is
     * dropped (the decoder has already answered one cut off in its headers with 400).
     */
    private void clientDoneSending(ChannelHandlerContext ctx) {
        inputClosed = true;
        if (reading) {
            reading = false;
            readTimer.cancel();
        }
        if (lingering || idle()) {
            ctx.close();
        }
    }

    private boolean idle() {
        return !busy && !reading && pending.isEmpty();
    }

    /** The connection's loop's clock, which its timers run on. */
    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }

    private void closeIfIdle(ChannelHandlerContext ctx) {
        if (idle()) {
            ctx.close();
        }
    }

    /** How long the connection may now stay idle: {@code limit}, or less once the worker drains. */
    private Duration idleLimit(Duration limit) {
        Duration drainIdle = timeouts.drainIdle();
        return stats.draining && drainIdle.compareTo(limit) < 0 ? drainIdle : limit;
    }

    /** The client started a request and did not finish it in time: it gets 408 in its turn. */
    private void readTimedOut(ChannelHandlerContext ctx) {
        if (!reading) {
            return;
        }
        reading = false;
        pending.add(new UnreadableHttpRequest(new HttpRejection(HttpResponseStatus.REQUEST_TIMEOUT,
                "request not complete within " + timeouts.read().toMillis() + " ms")));
        if (!busy) {
            serveNext(ctx, now(ctx));
        }
    }

    /**
     * Takes the next complete request, or waits idle for one.
     *
     * @param nowNanos the loop's clock now ({@link #now}), read once per event: each read showed in the profile
     */
    private void serveNext(ChannelHandlerContext ctx, long nowNanos) {
        FullHttpRequest request = pending.poll();
        if (request == null) {
            if (idle()) {
                idleTimer.arm(ctx, nowNanos, idleLimit(timeouts.keepAlive()), closeIfIdle);
            }
            return;
        }
        busy = true;
        long startNanos = nowNanos;
        Throwable failure = request.decoderResult().cause();
        HttpVersion version = request.protocolVersion();
        if (failure != null) {
            refuse(ctx, request, statusFor(failure), failure.toString(), startNanos);
        } else if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            refuse(ctx, request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, version.text(), startNanos);
        } else {
            dispatch(ctx, request, startNanos);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest nettyRequest, long startNanos) {
        ForwardedHeaders.Origin origin = origin(ctx.channel(), nettyRequest.headers());
        Request request;
        try {
            request = toRequest(nettyRequest, origin);
        } finally {
            nettyRequest.release();
        }
        Exchange exchange = new Exchange(ctx, nettyRequest, request, origin.remoteAddress(), startNanos);
        stats.inFlight.incrementAndGet();
        exchange.startTimeout(timeouts.request());
        try {
            exchange.running = dispatcher.dispatch(request, exchange.loop, exchange);
        } catch (RuntimeException e) {
            exchange.fail(e);
        }
    }

    private ForwardedHeaders.Origin origin(Channel channel, HttpHeaders headers) {
        if (directOrigin == null) {
            InetSocketAddress peer = channel.remoteAddress() instanceof InetSocketAddress address ? address : null;
            directOrigin = ForwardedHeaders.direct(peer);
            peerTrusted = forwarded.trustsPeer(peer, channel instanceof DomainSocketChannel);
        }
        return forwarded.resolveFrom(directOrigin, peerTrusted, headers);
    }

    private static Request toRequest(FullHttpRequest nettyRequest, ForwardedHeaders.Origin origin) {
        Headers.Builder headers = Headers.builder();
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = nettyRequest.headers().iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            headers.add(HeaderNames.lowerCase(field.getKey()), field.getValue().toString());
        }
        return Request.builder()
                .method(nettyRequest.method().name())
                .target(nettyRequest.uri())
                .headers(headers.build())
                .body(nettyRequest.content().isReadable() ? ByteBufUtil.getBytes(nettyRequest.content()) : null)
                .remoteAddress(origin.remoteAddress())
                .scheme(origin.scheme())
                .protocol(nettyRequest.protocolVersion().text())
                .build();
    }

    private static HttpResponseStatus statusFor(Throwable decoderFailure) {
        return switch (decoderFailure) {
            case HttpRejection rejection -> rejection.status();
            case TooLongHttpLineException e -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case TooLongHttpHeaderException e -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case TooLongFrameException e -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
    }

    /** Answers a request that never reaches the app, and closes: the byte stream cannot be trusted. */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String why,
                        long startNanos) {
        log.debug("refused a request from {} with {}: {}", ctx.channel().remoteAddress(), status.code(), why);
        HttpRequest logged = request instanceof UnreadableHttpRequest ? null : request;
        InetSocketAddress client = origin(ctx.channel(), request.headers()).remoteAddress();
        request.release();
        FullHttpResponse response = HttpResponses.refusal(status);
        long bodyBytes = response.content().readableBytes();
        ctx.writeAndFlush(response).addListener(future -> {
            logAccess(logged, client, response, bodyBytes, now(ctx) - startNanos);
            closeAfterRefusal(ctx);
        });
    }

    /**
     * Closes without losing the refusal just written. The client may still be sending (the rest
     * of a body that was refused); closing a socket with unread input makes the kernel answer
     * with a reset, and a client that gets the reset can lose the response it has not read yet.
     * So only our side is shut now (the client sees the end of the response), what it still
     * sends is read and dropped, and the connection closes when the client closes its side or
     * after {@link #LINGER}, as Apache's lingering close does.
     */
    private void closeAfterRefusal(ChannelHandlerContext ctx) {
        lingering = true;
        readTimer.cancel();
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
            idleTimer.arm(ctx, LINGER, ctx::close);
        } else {
            ctx.close();
        }
    }

    /**
     * Writes the outcome of {@code exchange}. Event loop only.
     *
     * @param forceClose close the connection after it whatever the request asked
     */
    private void write(Exchange exchange, Response response, boolean forceClose) {
        exchange.cancelTimeout();
        HttpRequest request = exchange.nettyRequest;
        exchange.keepOpen = HttpUtil.isKeepAlive(request) && !forceClose && !stats.draining
                && !timeouts.keepAlive().isZero() && !(inputClosed && pending.isEmpty());
        boolean head = request.method().equals(HttpMethod.HEAD);
        try {
            exchange.nettyResponse = HttpResponses.fromApp(response, request.protocolVersion(), head,
                    exchange.keepOpen);
        } catch (IllegalArgumentException invalid) {
            // A header that would split the response or break the framing: the client gets none of it.
            log.error("the app's response to {} is not valid HTTP ({}); answered 500 instead", exchange.request,
                    invalid.getMessage());
            exchange.nettyResponse = HttpResponses.fromApp(Response.text(500, "Internal Server Error\n"),
                    request.protocolVersion(), head, exchange.keepOpen);
        }
        exchange.bodyBytes = exchange.nettyResponse.content().readableBytes();
        exchange.ctx.writeAndFlush(exchange.nettyResponse).addListener(exchange);
    }

    /** The response of {@code exchange} is out (or failed): on to the connection's next request. */
    private void written(Exchange exchange, boolean success) {
        ChannelHandlerContext ctx = exchange.ctx;
        long now = now(ctx);
        stats.inFlight.decrementAndGet();
        stats.requests.increment();
        logAccess(exchange.nettyRequest, exchange.client, exchange.nettyResponse, exchange.bodyBytes,
                now - exchange.startNanos);
        busy = false;
        if (!success) {
            ctx.close();
        } else if (!exchange.keepOpen) {
            closeAfterResponse(ctx);
        } else {
            serveNext(ctx, now);
        }
    }

    /**
     * Ends the connection after its last response. The FIN goes out now, even when another
     * process still holds the socket: under --balance least-busy the master keeps its copy of
     * a connection until the worker confirms it, and a plain close would leave the client
     * waiting for the end until then.
     */
    private static void closeAfterResponse(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput().addListener(shut -> ctx.close());
        } else {
            ctx.close();
        }
    }

    private void logAccess(HttpRequest request, InetSocketAddress client, FullHttpResponse response, long bodyBytes,
                           long elapsedNanos) {
        if (accessLog.enabled()) {
            accessLog.log(new AccessLogEntry(request, client, response, bodyBytes, elapsedNanos));
        }
    }

    /**
     * One request from dispatch to response: receives the outcome from any thread, once, and
     * enforces {@code --request-timeout}. Whichever comes first, the app's outcome or the
     * timeout, claims the exchange; the other is dropped.
     */
    private final class Exchange implements ResponseSink, ChannelFutureListener {
        final ChannelHandlerContext ctx;
        final EventLoop loop;
        /** Method, target, version and headers, for the response and the access log; its body is released. */
        final HttpRequest nettyRequest;
        final Request request;
        final InetSocketAddress client;
        final long startNanos;
        private final AtomicBoolean claimed = new AtomicBoolean();
        // Event loop only, as the rest below.
        Cancellable running = Cancellable.NONE;
        private ScheduledFuture<?> timeout;
        /** Set by write(): what went out, and whether the connection stays open after it. */
        FullHttpResponse nettyResponse;
        long bodyBytes;
        boolean keepOpen;

        Exchange(ChannelHandlerContext ctx, HttpRequest nettyRequest, Request request, InetSocketAddress client,
                 long startNanos) {
            this.ctx = ctx;
            this.loop = ctx.channel().eventLoop();
            this.nettyRequest = nettyRequest;
            this.request = request;
            this.client = client;
            this.startNanos = startNanos;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            written(this, future.isSuccess());
        }

        @Override
        public void complete(Response response) {
            if (response == null) {
                fail(new NullPointerException("the app returned no response"));
            } else if (claimed.compareAndSet(false, true)) {
                send(response);
            } else {
                log.debug("dropped the late response to {}", request);
            }
        }

        @Override
        public void fail(Throwable cause) {
            if (claimed.compareAndSet(false, true)) {
                log.error("app failed on {}", request, cause);
                send(Response.text(500, "Internal Server Error\n"));
            } else {
                log.debug("dropped the late failure of {}: {}", request, cause.toString());
            }
        }

        /** Event loop only; armed before dispatch, so an app that answers at once finds it to cancel. */
        void startTimeout(Duration limit) {
            if (!limit.isZero()) {
                timeout = loop.schedule(this::timedOut, limit.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
            }
        }

        private void timedOut() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            log.warn("request {} passed --request-timeout ({} ms): answered 503, stopping its handler",
                    request, timeouts.request().toMillis());
            running.cancel();
            write(this, Response.text(503, "Service Unavailable\n"), true);
        }

        private void send(Response response) {
            if (loop.inEventLoop()) {
                write(this, response, false);
            } else {
                loop.execute(() -> write(this, response, false));
            }
        }
    }
}
