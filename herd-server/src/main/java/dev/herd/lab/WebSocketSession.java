package dev.herd.lab;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.util.function.Supplier;

/**
 * One client WebSocket of the load generator, on its channel's event loop: the opening
 * handshake (RFC 6455, with no Origin, as a non-browser client; permessage-deflate offered only
 * when asked, as browsers always do), a pong for each of the server's pings, and the server's
 * messages (whole frames of text or binary) for the subclass.
 */
abstract class WebSocketSession extends ChannelInboundHandlerAdapter {

    private static final int MAX_FRAME = 1 << 20;

    private final WebSocketClientHandshaker handshaker;
    /** Set once the channel is active. */
    protected Channel channel;
    /** Written on the loop; read by a harness thread too. */
    private volatile boolean open;

    WebSocketSession(URI uri, boolean deflate) {
        handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, deflate,
                EmptyHttpHeaders.INSTANCE, MAX_FRAME, true, false, -1, false, false);
    }

    static URI uri(String host, int port, String pathAndQuery) {
        return URI.create("ws://" + host + ":" + port + pathAndQuery);
    }

    /**
     * HTTP until the 101, which the handshaker then swaps for the frame encoder and decoder;
     * with {@code deflate}, permessage-deflate offered and, if the server agrees, used.
     */
    static ChannelInitializer<Channel> initializer(Supplier<? extends WebSocketSession> sessions, boolean deflate) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192));
                if (deflate) {
                    channel.pipeline().addLast(new WebSocketClientCompressionHandler(0));
                }
                channel.pipeline().addLast(sessions.get());
            }
        };
    }

    /** The handshake succeeded: the WebSocket is open. */
    abstract void opened();

    /** A text or binary frame from the server; released by the caller. */
    abstract void message(WebSocketFrame frame);

    /** The connection ended; {@code wasOpen}: after a successful handshake. */
    abstract void closed(boolean wasOpen);

    final boolean isOpen() {
        return open;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshaker.handshake(channel).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!open) {
                if (msg instanceof FullHttpResponse response) {
                    handshaker.finishHandshake(channel, response);
                    open = true;
                    opened();
                }
                return;
            }
            switch (msg) {
                case TextWebSocketFrame text -> message(text);
                case BinaryWebSocketFrame binary -> message(binary);
                case PingWebSocketFrame ping -> channel.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame ignored -> ctx.close();
                default -> {
                }
            }
        } catch (WebSocketHandshakeException refused) {
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed(open);
    }
}
