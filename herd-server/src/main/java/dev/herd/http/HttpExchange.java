package dev.herd.http;

import dev.herd.api.BodyOutput;
import dev.herd.api.EventStream;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.WebSocketListener;
import dev.herd.api.state.StateUnavailableException;
import dev.herd.http.ws.Handshake;
import dev.herd.http.ws.WebSocketConnection;
import dev.herd.http.ws.WebSocketSettings;
import dev.herd.state.StateOutages;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request from dispatch to the end of its response: receives the app's outcome from any
 * thread, once, and enforces {@code --request-timeout}, which counts to the response's header
 * (a response that streams for an hour is not a hung request). Whichever comes first claims
 * the exchange, the app's outcome, the timeout or a refusal of a streamed body; the others are
 * dropped.
 */
final class HttpExchange implements ResponseSink, ChannelFutureListener, StreamingResponse.Owner {

    private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);

    private final HttpRequestChannelHandler connection;
    final ChannelHandlerContext ctx;
    final EventLoop loop;
    /** Method, target, version and headers, for the response and the access log; its body is released. */
    final HttpRequest nettyRequest;
    final Request request;
    final InetSocketAddress client;
    final long startNanos;
    /** The body when it arrives while the app runs; null when it came whole. */
    final StreamedRequestBody streamedBody;
    private final AtomicBoolean claimed = new AtomicBoolean();
    /** Set when the request leaves the queue: the app started it, it expired, or it was answered otherwise. */
    private final AtomicBoolean dequeued = new AtomicBoolean(true);
    private RequestQueue queue;
    private ScheduledFuture<?> queueTimer;
    /** The app's name for the route that answered ({@code Response.route()}), for the metrics. */
    volatile String route;
    // Event loop only, as the rest below.
    Cancellable running = Cancellable.NONE;
    private ScheduledFuture<?> timeout;
    /** Set once the response's header is written: what went out, and whether the connection stays open after it. */
    HttpResponse nettyResponse;
    long bodyBytes;
    boolean keepOpen;
    /** The streamed body of the response, once its header is out; null for a complete response. */
    StreamingResponse output;
    boolean eventStream;

    HttpExchange(HttpRequestChannelHandler connection, ChannelHandlerContext ctx, HttpRequest nettyRequest,
                 Request request, InetSocketAddress client, long startNanos, StreamedRequestBody streamedBody) {
        this.connection = connection;
        this.ctx = ctx;
        this.loop = ctx.channel().eventLoop();
        this.nettyRequest = nettyRequest;
        this.request = request;
        this.client = client;
        this.startNanos = startNanos;
        this.streamedBody = streamedBody;
    }

    boolean head() {
        return nettyRequest.method().equals(HttpMethod.HEAD);
    }

    HttpVersion version() {
        return nettyRequest.protocolVersion();
    }

    /** A complete response is out (or failed). */
    @Override
    public void operationComplete(ChannelFuture future) {
        connection.written(this, future.isSuccess());
    }

    /** The streamed response is over: whole, or cut short (the connection then closes). */
    @Override
    public void streamEnded(StreamingResponse stream, boolean complete) {
        bodyBytes = stream.written();
        connection.written(this, complete);
    }

    /**
     * Takes a place in the worker's queue before the request goes to the model. Loop only.
     *
     * @return false when the queue is full: the request was answered 503 and must not be dispatched
     */
    boolean enqueue(RequestQueue queue) {
        if (!queue.enter()) {
            claimed.set(true);
            connection.metrics().rejected("queue_full");
            connection.write(this, overloaded(), false);
            return false;
        }
        this.queue = queue;
        dequeued.set(false);
        if (!queue.timeout().isZero()) {
            queueTimer = loop.schedule(this::queueExpired, queue.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /** The app may start the request, unless it waited past --queue-timeout and already has its 503. */
    @Override
    public boolean started() {
        if (!leaveQueue()) {
            return false;
        }
        connection.metrics().queued(ctx.executor().ticker().nanoTime() - startNanos);
        return true;
    }

    /** Gives the request's place in the queue back, once; true for the call that did. Any thread. */
    boolean leaveQueue() {
        if (!dequeued.compareAndSet(false, true)) {
            return false;
        }
        queue.leave();
        if (queueTimer != null) {
            queueTimer.cancel(false);
        }
        return true;
    }

    private void queueExpired() {
        if (!dequeued.compareAndSet(false, true)) {
            return;
        }
        queue.leave();
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        connection.metrics().rejected("queue_timeout");
        log.debug("request {} waited past --queue-timeout ({} ms): answered 503", request,
                queue.timeout().toMillis());
        running.cancel();
        connection.write(this, overloaded(), false);
    }

    private static Response overloaded() {
        return Response.status(503).header("retry-after", RequestQueue.RETRY_AFTER)
                .header("content-type", "text/plain; charset=utf-8")
                .body("Service Unavailable: the server is overloaded; retry later\n").build();
    }

    HttpRequestChannelHandler connection() {
        return connection;
    }

    @Override
    public void complete(Response response) {
        if (response == null) {
            fail(new NullPointerException("the app returned no response"));
        } else if (claimed.compareAndSet(false, true)) {
            route = response.route();
            send(() -> connection.write(this, response, false));
        } else {
            log.debug("dropped the late response to {}", request);
        }
    }

    @Override
    public void fail(Throwable cause) {
        if (claimed.compareAndSet(false, true)) {
            StateUnavailableException outage = StateOutages.cause(cause);
            if (outage != null) {
                StateOutages.answered503(request, outage);
                send(() -> connection.write(this, Response.status(503).header("Retry-After", "1")
                        .body("Service Unavailable\n").build(), false));
                return;
            }
            log.error("app failed on {}", request, cause);
            send(() -> connection.write(this, Response.text(500, "Internal Server Error\n"), false));
        } else {
            log.debug("dropped the late failure of {}: {}", request, cause.toString());
        }
    }

    @Override
    public BodyOutput stream(Response head) {
        return startStream(head, false);
    }

    @Override
    public EventStream events(Response head) {
        StreamingResponse body = startStream(head, true);
        EventStreamOutput events = new EventStreamOutput(body, request.header("last-event-id").orElse(null));
        if (body.isOpen()) {
            send(() -> events.startHeartbeat(loop, connection.eventHeartbeat()));
        }
        return events;
    }

    private StreamingResponse startStream(Response head, boolean events) {
        if (!claimed.compareAndSet(false, true)) {
            log.debug("dropped the late streamed response to {}", request);
            return StreamingResponse.dead(ctx, "the request was already answered (--request-timeout)");
        }
        route = head.route();
        long declared;
        try {
            declared = HttpResponses.declaredLength(head);
        } catch (IllegalArgumentException invalid) {
            log.error("the app's response to {} is not valid HTTP ({}); answered 500 instead", request,
                    invalid.getMessage());
            send(() -> connection.write(this, Response.text(500, "Internal Server Error\n"), false));
            return StreamingResponse.dead(ctx, "the response's header was not valid HTTP");
        }
        boolean chunked = declared < 0 && version().equals(HttpVersion.HTTP_1_1) && !head();
        StreamingResponse body = new StreamingResponse(ctx, declared, chunked, head());
        send(() -> connection.writeStreamHead(this, head, body, events));
        return body;
    }

    @Override
    public WebSocketConnection upgrade(Response head, WebSocketListener listener) {
        if (!claimed.compareAndSet(false, true)) {
            log.debug("dropped the late WebSocket upgrade of {}", request);
            return null;
        }
        route = head.route();
        WebSocketSettings settings = connection.webSockets().settings();
        Handshake.Refusal refusal = Handshake.check(nettyRequest, settings.origins());
        if (refusal != null) {
            log.info("refused the WebSocket upgrade of {} from {}: {}", request.path(), client, refusal.why());
            Response.Builder answer = Response.status(refusal.status())
                    .header("content-type", "text/plain; charset=utf-8").body(refusal.why() + "\n");
            if (refusal.status() == 426) {
                answer.header("sec-websocket-version", "13");
            }
            Response built = answer.build();
            send(() -> connection.write(this, built, true));
            return null;
        }
        WebSocketConnection socket = new WebSocketConnection(ctx.channel(), request,
                head.headers().first("sec-websocket-protocol").orElse(null), settings, listener,
                HttpRequestChannelHandler.DRAIN, connection.webSockets().ended());
        send(() -> connection.upgrade(this, head, socket));
        return socket;
    }

    @Override
    public void cut(Throwable cause) {
        send(() -> {
            if (output != null) {
                output.cut("the app's body writer failed: " + cause);
            }
        });
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
                request, connection.requestTimeout().toMillis());
        running.cancel();
        connection.write(this, Response.text(503, "Service Unavailable\n"), true);
    }

    /**
     * The streamed request body was refused (too large, malformed) while the app ran. Loop only.
     *
     * @return true when the refusal is this exchange's answer; false when the response had already started
     */
    boolean refuse() {
        if (!claimed.compareAndSet(false, true)) {
            if (output != null) {
                output.cut("the request body was refused");
            }
            return false;
        }
        cancelTimeout();
        running.cancel();
        return true;
    }

    /** The client is gone. Loop only. */
    void clientGone() {
        if (output != null) {
            output.cut("the client went away");
        }
    }

    private void send(Runnable onLoop) {
        if (loop.inEventLoop()) {
            onLoop.run();
        } else {
            loop.execute(onLoop);
        }
    }
}
