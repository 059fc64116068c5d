package dev.herd.admin;

import dev.herd.metrics.Exposition;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Routes the admin listener's requests. Every path asks for the token when one is set, except
 * the dashboard's page itself, which holds no data (the page sends the token with its own
 * requests); a request without it gets 401 and learns nothing else, not even whether the path
 * exists.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** How long the master's thread may take to answer before the listener gives up with 503. */
    private static final long ANSWER_SECONDS = 5;
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private final AdminBackend backend;
    private final byte[] expectedAuthorization;
    private final byte[] dashboard;
    /** --admin-open-health: the probes answer without the token. */
    private final boolean openHealth;

    AdminHandler(AdminBackend backend, String token, boolean openHealth) {
        this.backend = backend;
        this.openHealth = openHealth;
        this.expectedAuthorization = token.isEmpty() ? null
                : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        try (var page = AdminHandler.class.getResourceAsStream("dashboard.html")) {
            this.dashboard = page.readAllBytes();
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("the dashboard page is missing from herd's jar", e);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            send(ctx, request, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n", false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean head = request.method().equals(HttpMethod.HEAD);
        boolean page = path.equals("/") && (request.method().equals(HttpMethod.GET) || head);
        boolean openProbe = openHealth && path.startsWith("/health/");
        if (!page && !openProbe && !authorized(request)) {
            FullHttpResponse refused = response(HttpResponseStatus.UNAUTHORIZED, TEXT, "");
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            write(ctx, request, refused);
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !head) {
            FullHttpResponse refused = response(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "use GET\n");
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            write(ctx, request, refused);
            return;
        }
        switch (path) {
            case "/metrics" -> {
                boolean open = Exposition.wantsOpenMetrics(request.headers().get(HttpHeaderNames.ACCEPT));
                answer(ctx, request, backend.metrics(open), body -> response(HttpResponseStatus.OK,
                        open ? Exposition.OPENMETRICS_TYPE : Exposition.PROMETHEUS_TYPE, body), head);
            }
            case "/status" -> answer(ctx, request, backend.status(),
                    body -> response(HttpResponseStatus.OK, JSON, body), head);
            case "/health/live" -> answer(ctx, request, backend.health(),
                    health -> response(HttpResponseStatus.OK, TEXT, "live\n"), head);
            case "/health/ready" -> answer(ctx, request, backend.health(), health -> health.ready()
                    ? response(HttpResponseStatus.OK, TEXT, "ready\n")
                    : response(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "not ready\n"), head);
            case "/health/startup" -> answer(ctx, request, backend.health(), health -> health.started()
                    ? response(HttpResponseStatus.OK, TEXT, "started\n")
                    : response(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "starting\n"), head);
            case "/" -> {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(dashboard));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
                response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                // The page runs only its own script and talks only to this listener.
                response.headers().set("content-security-policy", "default-src 'none'; script-src 'unsafe-inline';"
                        + " style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:");
                HttpUtil.setContentLength(response, dashboard.length);
                write(ctx, request, response);
            }
            case "/live" -> answer(ctx, request, backend.live(),
                    body -> response(HttpResponseStatus.OK, JSON, body), head);
            case "/live/events" -> LiveStream.start(ctx, backend);
            default -> send(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT, "not found\n", head);
        }
    }

    private boolean authorized(FullHttpRequest request) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        // Constant time: how long a refusal takes says nothing about how much of the token was right.
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    private <T> void answer(ChannelHandlerContext ctx, FullHttpRequest request, CompletableFuture<T> pending,
                            java.util.function.Function<T, FullHttpResponse> render, boolean head) {
        request.retain();
        pending.orTimeout(ANSWER_SECONDS, TimeUnit.SECONDS).whenComplete((value, failure) ->
                ctx.executor().execute(() -> {
                    try {
                        FullHttpResponse response = failure == null ? render.apply(value)
                                : response(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
                                "the master did not answer within " + ANSWER_SECONDS + " s\n");
                        if (head) {
                            response.content().clear();
                        }
                        write(ctx, request, response);
                    } finally {
                        request.release();
                    }
                }));
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                             String type, String body, boolean head) {
        FullHttpResponse response = response(status, type, body);
        if (head) {
            response.content().clear();
        }
        write(ctx, request, response);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(response, bytes.length);
        return response;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
