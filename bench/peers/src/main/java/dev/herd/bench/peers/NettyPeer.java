package dev.herd.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;

import java.util.concurrent.TimeUnit;

/**
 * The floor herd is measured against: a minimal Netty 4.2 epoll HTTP server with the same
 * endpoints, THREADS event loops and one acceptor thread (so accepting never waits behind a busy
 * loop). Handlers run on the event loop; /io waits on an event-loop timer.
 */
public final class NettyPeer {

    public static void main(String[] args) throws InterruptedException {
        PeerArgs peer = PeerArgs.parse("netty", args);
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(peer.threads(), EpollIoHandler.newFactory());
        new ServerBootstrap()
                .group(acceptor, loops)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 2048)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Endpoints());
                    }
                })
                .bind("127.0.0.1", peer.port()).sync();
        peer.ready("netty");
        Thread.currentThread().join();
    }

    private static final class Endpoints extends SimpleChannelInboundHandler<HttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String path = request.uri();
            switch (path) {
                case "/hello" -> respond(ctx, keepAlive, HttpResponseStatus.OK, "Hello, World!");
                case "/cpu" -> respond(ctx, keepAlive, HttpResponseStatus.OK, "burned " + CpuWork.burn() + "\n");
                case "/io" -> ctx.executor().schedule(
                        () -> respond(ctx, keepAlive, HttpResponseStatus.OK, "waited 10 ms\n"),
                        10, TimeUnit.MILLISECONDS);
                default -> respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "Not Found\n");
            }
        }

        private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                    String text) {
            ByteBuf body = Unpooled.copiedBuffer(text, CharsetUtil.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
