package dev.herd.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code /live/events}: the live picture as server-sent events, one {@code live} event a
 * second, until the client goes. The dashboard reads it; so can anything that speaks SSE.
 */
final class LiveStream {

    private final ChannelHandlerContext ctx;
    private final AdminBackend backend;
    private ScheduledFuture<?> ticks;
    private boolean asking;

    private LiveStream(ChannelHandlerContext ctx, AdminBackend backend) {
        this.ctx = ctx;
        this.backend = backend;
    }

    /** Answers with the event stream's head and sends the picture every second. On the channel's loop. */
    static void start(ChannelHandlerContext ctx, AdminBackend backend) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        LiveStream stream = new LiveStream(ctx, backend);
        stream.ticks = ctx.executor().scheduleAtFixedRate(stream::tick, 0, 1, TimeUnit.SECONDS);
        ctx.channel().closeFuture().addListener(closed -> stream.ticks.cancel(false));
    }

    private void tick() {
        if (asking || !ctx.channel().isActive()) {
            return; // the master has not answered the previous one yet: no pile-up
        }
        asking = true;
        backend.live().orTimeout(5, TimeUnit.SECONDS).whenComplete((json, failure) -> ctx.executor().execute(() -> {
            asking = false;
            if (failure == null && ctx.channel().isActive()) {
                byte[] event = ("event: live\ndata: " + json.replace("\n", "") + "\n\n").getBytes(StandardCharsets.UTF_8);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)))
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }));
    }
}
