package dev.herd.http;

import dev.herd.api.Response;
import dev.herd.http.ws.Handshake;
import dev.herd.http.ws.WebSocketConnection;
import dev.herd.http.ws.WebSocketPipeline;
import dev.herd.http.ws.WebSocketSettings;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Hands an HTTP connection whose upgrade the app accepted to its {@link WebSocketConnection}:
 * the 101 (with permessage-deflate if agreed), the access log line, the counts, and the
 * pipeline's change from HTTP to frames. The connection stays counted (as a WebSocket too) until
 * the socket closes, so a graceful stop waits for its close handshake. Event loop only.
 */
final class WebSocketUpgrades {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrades.class);

    private final WebSocketSettings settings;
    private final ServerStats stats;

    WebSocketUpgrades(WebSocketSettings settings, ServerStats stats) {
        this.settings = settings;
        this.stats = stats;
    }

    WebSocketSettings settings() {
        return settings;
    }

    /** What a WebSocket runs when it has closed: it leaves the counts. */
    Runnable ended() {
        ServerStats counts = stats;
        return () -> {
            counts.webSockets.decrementAndGet();
            counts.connections.decrementAndGet();
        };
    }

    /**
     * @param usable whether the connection can still carry a WebSocket: when not, the app's
     *               handler finds it closed (1006) and the connection closes
     */
    void open(HttpExchange exchange, Response head, WebSocketConnection socket, boolean usable) {
        ChannelHandlerContext ctx = exchange.ctx;
        if (!usable) {
            socket.abandon();
            ctx.close();
            return;
        }
        WebSocketServerExtension deflate = settings.deflate()
                ? Handshake.deflate(exchange.nettyRequest, settings.maxMessage()) : null;
        FullHttpResponse handshake = Handshake.response(exchange.nettyRequest, head.headers(), deflate);
        exchange.nettyResponse = handshake;
        stats.webSockets.incrementAndGet();
        exchange.connection().answered(exchange.nettyRequest, exchange.client, handshake, 0,
                ctx.executor().ticker().nanoTime() - exchange.startNanos, exchange.route);
        log.debug("WebSocket open: {} from {}{}", exchange.request.path(), exchange.client,
                deflate != null ? " (permessage-deflate)" : "");
        WebSocketPipeline.install(ctx, "encoder", "decoder", List.of("body", "app"), handshake, deflate, socket,
                settings.maxMessage());
        ctx.channel().config().setAutoRead(true);
    }
}
