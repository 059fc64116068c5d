package dev.herd.lab;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket modes of the load generator against a tiny Netty WebSocket server on loopback:
 * {@code /echo} sends every text message back, {@code /room} sends it to every connection, any
 * other path is refused with 404.
 */
class WebSocketLoadTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup room = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<String> received = new ArrayList<>();
    private int port;

    private void startServer(String path, boolean broadcast) throws InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(path), new NotFound(),
                                new Echo(broadcast));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private LoadSpec spec(String path, int connections, Duration duration) {
        return new LoadSpec("127.0.0.1", port, RequestMix.of(path), connections, 0, Duration.ofMillis(200),
                duration, 1);
    }

    @Test
    void echoCountsMessagesAndTheirLatency() throws Exception {
        startServer("/echo", false);
        LoadResult result = LoadGenerator.runWebSocket(spec("/echo", 4, Duration.ofSeconds(1)), 16, false);
        assertThat(result.requests()).isPositive();
        assertThat(result.errors()).isZero();
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.requests());
        synchronized (received) {
            assertThat(received).isNotEmpty().allMatch(text -> text.equals("x".repeat(16)));
        }
    }

    @Test
    void aRefusedHandshakeIsAnError() throws Exception {
        startServer("/echo", false);
        LoadResult result = LoadGenerator.runWebSocket(spec("/elsewhere", 1, Duration.ofMillis(500)), 16, false);
        assertThat(result.requests()).isZero();
        assertThat(result.errors()).isPositive();
    }

    @Test
    void fanoutTimesEveryDeliveryOfEveryBroadcast() throws Exception {
        startServer("/room", true);
        List<Object> told = new ArrayList<>();
        WebSocketFanout.Result result = WebSocketFanout.run(new WebSocketFanout.Spec("127.0.0.1", port, "/room", 20,
                2, Duration.ofSeconds(10), Duration.ofMillis(100), 1, 3, false), new WebSocketFanout.Phases() {
                    @Override
                    public void opened(int opened, int wanted, int failed, double openSeconds, double quietSeconds) {
                        told.add(opened);
                    }

                    @Override
                    public void broadcasted(WebSocketFanout.Result done) {
                        told.add(done);
                    }
                });
        assertThat(told).hasSize(2).first().isEqualTo(20);
        assertThat(told.get(1)).isSameAs(result);
        assertThat(result.opened()).isEqualTo(20);
        assertThat(result.stillOpen()).isEqualTo(20);
        assertThat(result.expected()).isEqualTo(60);
        assertThat(result.delivered()).isEqualTo(60);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(60);
        assertThat(result.lastMillis()).hasSize(3).allMatch(ms -> ms >= 0);
    }

    @Test
    void broadcastNumbersAreReadAnywhereInTheText() {
        assertThat(WebSocketFanout.broadcastNumber(Unpooled.copiedBuffer("m: #12", StandardCharsets.UTF_8)))
                .isEqualTo(12);
        assertThat(WebSocketFanout.broadcastNumber(Unpooled.copiedBuffer("* m joined (3 here)",
                StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(WebSocketFanout.broadcastNumber(Unpooled.copiedBuffer("#x", StandardCharsets.UTF_8)))
                .isEqualTo(-1);
    }

    /** Requests that are not the WebSocket's path. */
    private static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final boolean broadcast;

        Echo(boolean broadcast) {
            this.broadcast = broadcast;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                room.add(ctx.channel());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            if (broadcast) {
                room.writeAndFlush(new TextWebSocketFrame(frame.text()));
                return;
            }
            synchronized (received) {
                if (received.size() < 100) {
                    received.add(frame.text());
                }
            }
            ctx.writeAndFlush(frame.retain());
        }
    }
}
