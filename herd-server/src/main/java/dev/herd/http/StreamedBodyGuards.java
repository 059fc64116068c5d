package dev.herd.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a request whose body is still arriving gets before the app sees it: its
 * {@code 100 Continue} at the right moment, and a 408 if its client stops sending. Event loop only.
 */
final class StreamedBodyGuards {

    private static final Logger log = LoggerFactory.getLogger(StreamedBodyGuards.class);

    private StreamedBodyGuards() {
    }

    /**
     * {@code Expect: 100-continue}: the client sends its body only once invited. It is invited
     * when the app first reads, and not at all when the app answers without reading (the body
     * is then never sent).
     */
    static void inviteOnFirstRead(ChannelHandlerContext ctx, HttpExchange exchange, StreamedRequestBody body) {
        if (!HttpUtil.is100ContinueExpected(exchange.nettyRequest)) {
            return;
        }
        body.onFirstDemand(() -> {
            if (exchange.nettyResponse == null && ctx.channel().isActive()) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
            }
        });
    }

    /**
     * A client that stops sending the body the app waits for gets 408 after {@code readTimeout},
     * as one that stops mid-header does: under sync it would otherwise hold the worker's only
     * thread for ever.
     *
     * @param refuse answers the refusal, if the app has not answered yet
     */
    static void refuseWhenStalled(HttpExchange exchange, StreamedRequestBody body, Duration readTimeout,
                                  Consumer<HttpBodyRouter.BodyRefused> refuse) {
        body.watchForStall(readTimeout, () -> {
            HttpRejection why = new HttpRejection(HttpResponseStatus.REQUEST_TIMEOUT,
                    "no request body bytes for " + readTimeout.toMillis() + " ms");
            log.info("a client from {} stopped sending the body of {} (--read-timeout)", exchange.client,
                    exchange.request);
            // The 408 claims the exchange first: failing the body first would let the app's
            // thread, woken by the failed read, claim it with a 500 the closing connection drops.
            refuse.accept(new HttpBodyRouter.BodyRefused(body, why));
            body.fail(why);
        });
    }
}
