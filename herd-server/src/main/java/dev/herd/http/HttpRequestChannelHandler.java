package dev.herd.http;

import dev.herd.metrics.HttpMetrics;
import dev.herd.api.Request;
import dev.herd.api.Response;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import dev.herd.http.files.StaticFolder;
import dev.herd.http.ws.WebSocketConnection;
import dev.herd.http.ws.WebSocketSettings;

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
    private final ConnectionOrigin origins;
    private final ExchangeLog exchangeLog;
    private final PipelinedRequests pending = new PipelinedRequests();
    private final ConnectionTimer idleTimer = new ConnectionTimer();
    private final ConnectionTimer readTimer = new ConnectionTimer();
    /** Runs while the client does not take what the connection has to send (--write-timeout). */
    private WriteStallWatch writeStall;
    private final FileResponses files;
    private final ResponseWriter responses;
    private final List<StaticFolder> staticFolders;
    private final WebSocketUpgrades webSockets;
    /** The request in the app or being answered; null when idle. */
    private HttpExchange current;
    // idle (idle timer runs) -> reading: a read left a request unfinished (read timer runs) -> the
    // request is complete: busy while it is in the app and its response is written -> idle.
    // Requests complete while busy wait in pending; reading and busy can overlap (pipelining).
    private boolean reading;
    private boolean busy;
    /** A request was refused: its answer is out, our side is shut, and all input is dropped. */
    private boolean lingering;
    /** The client shut its side (half-close, or gone): what it sent is answered, then the connection closes. */
    private boolean inputClosed;
    // The timers' tasks, made once: a keep-alive connection arms its timers on every request.
    private Runnable closeIfIdle;
    private Runnable readTimedOut;

    HttpRequestChannelHandler(RequestDispatcher dispatcher, ServerStats stats, HttpOptions.Timeouts timeouts,
                              ForwardedHeaders forwarded, AccessLog accessLog, List<StaticFolder> staticFolders,
                              WebSocketSettings webSockets) {
        this.staticFolders = staticFolders;
        this.webSockets = new WebSocketUpgrades(webSockets, stats);
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.timeouts = timeouts;
        this.origins = new ConnectionOrigin(forwarded);
        this.exchangeLog = new ExchangeLog(stats.metrics, accessLog);
        this.files = new FileResponses(this);
        this.responses = new ResponseWriter(files, stats);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        closeIfIdle = () -> closeIfIdle(ctx);
        readTimedOut = () -> readTimedOut(ctx);
        writeStall = new WriteStallWatch(ctx.channel(), timeouts.write(), () -> writeStalled(ctx));
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
        writeStall.cancel();
        pending.dropAll();
        if (current != null) {
            current.clientGone();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest || msg instanceof StreamedHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpRequest request = (HttpRequest) msg;
        if (lingering) {
            PipelinedRequests.release(request);
            return;
        }
        reading = false;
        readTimer.cancel();
        idleTimer.cancel();
        pending.add(ctx, request);
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
        } else if (event instanceof HttpBodyRouter.BodyRefused refused) {
            bodyRefused(ctx, refused);
        } else if (event == DRAIN) {
            // Event streams end now, so their clients reconnect to a worker of the new generation.
            if (current != null && current.eventStream && current.output != null) {
                current.output.end();
            }
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

    /**
     * The client stopped taking what we send (its window and our buffer are full), or took it
     * again. Writers waiting on back-pressure go on once it drains; a client that takes nothing
     * for --write-timeout is cut off, so a connection nobody reads cannot hold memory for ever.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && current.output != null) {
            current.output.writabilityChanged();
        }
        writeStall.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    private void writeStalled(ChannelHandlerContext ctx) {
        log.info("closed a connection from {}: its client took nothing of the response for {} s (--write-timeout)",
                ctx.channel().remoteAddress(), timeouts.write().toSeconds());
        if (current != null && current.output != null) {
            current.output.cut("the client stopped reading for " + timeouts.write().toSeconds() + " s");
        }
        ctx.close();
    }

    /** A streamed body was refused mid-way by the router: answer the status now if the app has not answered yet. */
    private void bodyRefused(ChannelHandlerContext ctx, HttpBodyRouter.BodyRefused refused) {
        if (current != null && current.streamedBody == refused.body()) {
            HttpExchange exchange = current;
            if (exchange.refuse()) {
                // The app's thread is stopped (or its stage dropped); the client gets the refusal.
                stats.inFlight.decrementAndGet();
                busy = false;
                current = null;
                refuse(ctx, exchange.nettyRequest, refused.why().status(), refused.why().getMessage(),
                        exchange.startNanos);
            } else {
                ctx.close();
            }
            return;
        }
        pending.refuseBody(refused.body(), refused.why());
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
        pending.add(ctx, new UnreadableHttpRequest(new HttpRejection(HttpResponseStatus.REQUEST_TIMEOUT,
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
        HttpRequest request = pending.poll(ctx);
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
            refuse(ctx, request, AppRequests.statusFor(failure), failure.toString(), startNanos);
        } else if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            refuse(ctx, request, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, version.text(), startNanos);
        } else {
            dispatch(ctx, request, startNanos);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, HttpRequest nettyRequest, long startNanos) {
        ForwardedHeaders.Origin origin = origins.of(ctx.channel(), nettyRequest.headers());
        StreamedRequestBody streamedBody = nettyRequest instanceof StreamedHttpRequest streamed ? streamed.body() : null;
        Request request;
        try {
            request = AppRequests.toRequest(nettyRequest, streamedBody, origin);
        } finally {
            if (nettyRequest instanceof FullHttpRequest full) {
                full.release();
            }
        }
        HttpExchange exchange = new HttpExchange(this, ctx, nettyRequest, request, origin.remoteAddress(), startNanos,
                streamedBody);
        current = exchange;
        if (streamedBody != null) {
            StreamedBodyGuards.inviteOnFirstRead(ctx, exchange, streamedBody);
            StreamedBodyGuards.refuseWhenStalled(exchange, streamedBody, timeouts.read(),
                    refused -> bodyRefused(ctx, refused));
        }
        stats.inFlight.incrementAndGet();
        if (!staticFolders.isEmpty() && files.serveStatic(exchange, staticFolders)) {
            return;
        }
        if (!exchange.enqueue(stats.queue)) {
            return;
        }
        exchange.startTimeout(timeouts.request());
        try {
            exchange.running = dispatcher.dispatch(request, exchange.loop, exchange);
        } catch (RuntimeException e) {
            exchange.fail(e);
        }
    }

    /** Answers a request that never reaches the app, and closes: the byte stream cannot be trusted. */
    private void refuse(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String why,
                        long startNanos) {
        log.debug("refused a request from {} with {}: {}", ctx.channel().remoteAddress(), status.code(), why);
        HttpRequest logged = request instanceof UnreadableHttpRequest ? null : request;
        boolean head = request instanceof UnreadableHttpRequest unreadable ? unreadable.head()
                : HttpMethod.HEAD.equals(request.method());
        InetSocketAddress client = origins.of(ctx.channel(), request.headers()).remoteAddress();
        PipelinedRequests.release(request);
        FullHttpResponse response = HttpResponses.refusal(status, head);
        long bodyBytes = response.content().readableBytes();
        ctx.writeAndFlush(response).addListener(future -> {
            answered(logged, client, response, bodyBytes, now(ctx) - startNanos, null);
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
     * Writes a complete outcome of {@code exchange}: bytes, or a file. Event loop only.
     *
     * @param forceClose close the connection after it whatever the request asked
     */
    void write(HttpExchange exchange, Response response, boolean forceClose) {
        exchange.cancelTimeout();
        exchange.keepOpen = keepOpen(exchange, forceClose);
        responses.write(exchange, response);
    }

    /** Writes the header of a streamed response; the body follows through {@code body}. Event loop only. */
    void writeStreamHead(HttpExchange exchange, Response response, StreamingResponse body, boolean events) {
        exchange.cancelTimeout();
        // Without a length, an HTTP/1.0 body ends with the connection.
        exchange.keepOpen = keepOpen(exchange, !body.chunked() && HttpResponses.declaredLength(response) < 0
                && !exchange.head());
        responses.writeStreamHead(exchange, response, body, events);
    }

    /** Whether the connection stays open after the response of {@code exchange}. */
    boolean keepOpen(HttpExchange exchange, boolean forceClose) {
        StreamedRequestBody body = exchange.streamedBody;
        return HttpUtil.isKeepAlive(exchange.nettyRequest) && !forceClose && !stats.draining
                && !timeouts.keepAlive().isZero() && !(inputClosed && pending.isEmpty())
                // A body the app left unread would be taken for the next request.
                && (body == null || body.ended());
    }

    /** The response of {@code exchange} is out (or failed): on to the connection's next request. Event loop only. */
    void written(HttpExchange exchange, boolean success) {
        ChannelHandlerContext ctx = exchange.ctx;
        long now = now(ctx);
        stats.inFlight.decrementAndGet();
        stats.requests.increment();
        // Answered while it still waited (--request-timeout, a refused body): its place goes back.
        exchange.leaveQueue();
        if (exchange.output != null) {
            stats.streams.decrementAndGet();
        }
        answered(exchange.nettyRequest, exchange.client, exchange.nettyResponse, exchange.bodyBytes,
                now - exchange.startNanos, exchange.route);
        busy = false;
        current = null;
        StreamedRequestBody body = exchange.streamedBody;
        boolean bodyLeft = body != null && !body.ended();
        if (body != null) {
            body.discard();
        }
        if (!success) {
            ctx.close();
        } else if (bodyLeft) {
            // The client may still be sending the body nobody read: read and drop it before closing.
            closeAfterRefusal(ctx);
        } else if (!exchange.keepOpen) {
            closeAfterResponse(ctx);
        } else {
            serveNext(ctx, now);
        }
    }

    /** Requests read and waiting behind the one being served (for tests). */
    int pendingRequests() {
        return pending.size();
    }

    WebSocketUpgrades webSockets() {
        return webSockets;
    }

    /**
     * The app accepted {@code exchange}'s upgrade: the request is over for HTTP (its timers, the
     * requests pipelined behind it, which a client may not send before the 101, RFC 6455 4.1),
     * and {@link WebSocketUpgrades} takes the connection. Event loop only.
     */
    void upgrade(HttpExchange exchange, Response head, WebSocketConnection socket) {
        exchange.cancelTimeout();
        stats.inFlight.decrementAndGet();
        stats.requests.increment();
        busy = false;
        current = null;
        idleTimer.cancel();
        readTimer.cancel();
        writeStall.cancel();
        pending.dropAll();
        if (exchange.streamedBody != null) {
            exchange.streamedBody.discard();
        }
        // The client may have gone, or shut its side, while the app decided (under sync and
        // threads the request may have waited for a thread); that end of input was told to this
        // handler, not to the WebSocket, which needs both directions.
        webSockets.open(exchange, head, socket, exchange.ctx.channel().isActive() && !inputClosed);
    }

    Duration requestTimeout() {
        return timeouts.request();
    }

    Duration eventHeartbeat() {
        return timeouts.eventHeartbeat();
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

    /** One request answered: counted in the metrics, and a line in the access log. */
    void answered(HttpRequest request, InetSocketAddress client, HttpResponse response, long bodyBytes,
                  long elapsedNanos, String route) {
        exchangeLog.answered(request, client, response, bodyBytes, elapsedNanos, route);
    }

    HttpMetrics metrics() {
        return stats.metrics;
    }
}
