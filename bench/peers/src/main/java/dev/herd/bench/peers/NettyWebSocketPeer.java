package dev.herd.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The floor herd's WebSockets are measured against: a minimal Netty 4.2 epoll server whose
 * {@code /ws/echo} sends every text message back, on the event loop, with Netty's own
 * {@link WebSocketServerProtocolHandler} (handshake, pings, close; no permessage-deflate).
 * THREADS event loops and one acceptor thread, as {@link NettyPeer}.
 */
public final class NettyWebSocketPeer {

    public static void main(String[] args) throws InterruptedException {
        PeerArgs peer = PeerArgs.parse("netty-ws", args);
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(peer.threads(), EpollIoHandler.newFactory());
        new ServerBootstrap()
                .group(acceptor, loops)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 2048)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler("/ws/echo"), new NotFound(), new Echo());
                    }
                })
                .bind("127.0.0.1", peer.port()).sync();
        peer.ready("netty-ws");
        Thread.currentThread().join();
    }

    /** Every text message back, as it came. */
    private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ctx.writeAndFlush(frame.retain());
        }
    }

    /** Plain HTTP requests (the protocol handler passes on those that are not an upgrade of its path). */
    private static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
