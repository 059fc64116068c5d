package dev.herd.http.ws;

import dev.herd.api.WebSocketClose;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket's closing handshake (RFC 6455, 7): the close frame each side sent, the answer to
 * the client's, and the timer that drops a connection whose client never answers ours. Event
 * loop only; {@code ctx} is the WebSocket handler's.
 */
final class ClosingHandshake {

    /** How long a close frame waits for the client's answer before the connection is dropped. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private boolean closeSent;
    private WebSocketClose received;
    private WebSocketClose sent;
    private ScheduledFuture<?> timer;

    /** Our close frame is out: nothing else may be sent. */
    boolean closeSent() {
        return closeSent;
    }

    /** Either side has sent its close frame: messages that still come are dropped. */
    boolean closing() {
        return closeSent || received != null;
    }

    /** How the WebSocket ended: the client's close, else ours, else 1006. */
    WebSocketClose status() {
        return received != null ? received : sent != null ? sent : new WebSocketClose(WebSocketClose.ABNORMAL, "");
    }

    /** The client's close frame: answered with its code, or, if it answers ours, the connection closes. */
    void received(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
        if (received != null) {
            return;
        }
        int code = frame.statusCode();
        received = new WebSocketClose(code < 0 ? WebSocketClose.NO_STATUS : code, frame.reasonText());
        if (closeSent) {
            // Our close answered: the server closes the TCP connection first (RFC 6455, 7.1.1).
            ctx.close();
            return;
        }
        closeSent = true;
        sent = received;
        CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
        ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Sends our close frame, once; the connection ends on the client's answer or after
     * {@link #CLOSE_WAIT}.
     *
     * @return false when a close frame was already sent or the connection is gone
     */
    boolean start(ChannelHandlerContext ctx, int code, String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            return false;
        }
        closeSent = true;
        sent = new WebSocketClose(code, reason);
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
        closeAfterWait(ctx);
        return true;
    }

    /**
     * Fails the connection (RFC 6455, 7.1.7): a close frame with {@code code}, then our side is
     * shut; the connection closes when the client closes its side, or after {@link #CLOSE_WAIT}.
     * Closing at once with the client's unread bytes in the socket would make the kernel answer
     * with a reset, which can destroy the close frame before the client reads it.
     */
    void fail(ChannelHandlerContext ctx, int code, String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        closeSent = true;
        sent = new WebSocketClose(code, reason);
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(written -> {
            if (ctx.channel() instanceof DuplexChannel duplex && written.isSuccess()) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
        closeAfterWait(ctx);
    }

    /** The connection has closed. */
    void ended() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void closeAfterWait(ChannelHandlerContext ctx) {
        ended();
        timer = ctx.executor().schedule(() -> ctx.close(), CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }
}
