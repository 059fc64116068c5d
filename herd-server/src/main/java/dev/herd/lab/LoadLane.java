package dev.herd.lab;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One event loop's share of an HTTP load run: keep-alive connections, each with one request in
 * flight, cycling through the request mix ({@link PacedLane} paces and counts them).
 */
final class LoadLane extends PacedLane<LoadLane.LaneConnection> {

    private final LoadSpec spec;
    private final Bootstrap bootstrap;
    private final ByteBuf[] requests;
    private long sent;

    LoadLane(EventLoop loop, LoadSpec spec, int connections, RateSchedule schedule, long measureFrom,
             long measureUntil) {
        super(loop, connections, schedule, measureFrom, measureUntil);
        this.spec = spec;
        this.requests = spec.mix().cycle().stream().map(this::encode).toArray(ByteBuf[]::new);
        this.bootstrap = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpResponseDecoder(), new LaneConnection());
                    }
                });
    }

    @Override
    void closeAll() {
        List.copyOf(open).forEach(Channel::close);
        for (ByteBuf request : requests) {
            request.release();
        }
    }

    private ByteBuf encode(String path) {
        String text = "GET " + path + " HTTP/1.1\r\nHost: " + spec.host() + ":" + spec.port() + "\r\n\r\n";
        return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    void connect() {
        if (stopped) {
            return;
        }
        bootstrap.connect(spec.host(), spec.port()).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                countError();
                connectLater();
            }
        });
    }

    @Override
    void send(LaneConnection connection, long intendedNanos) {
        connection.send(intendedNanos);
    }

    /** One keep-alive connection with at most one request in flight. */
    final class LaneConnection extends ChannelInboundHandlerAdapter {

        private Channel channel;
        /** Intended send time of the request in flight; -1 when none is. */
        private long intended = -1;
        private int status;

        void send(long intendedNanos) {
            intended = intendedNanos;
            channel.writeAndFlush(requests[(int) (sent++ % requests.length)].retainedDuplicate());
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            open.add(channel);
            dispatch(this);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    status = response.status().code();
                }
                if (msg instanceof LastHttpContent && intended >= 0) {
                    long sentAt = intended;
                    intended = -1;
                    completed(this, sentAt, status < 400 && response(msg));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static boolean response(Object msg) {
            return !(msg instanceof LastHttpContent last) || last.decoderResult().isSuccess();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.remove(channel);
            idle.remove(this);
            if (intended >= 0) {
                countError();
            }
            if (!stopped) {
                connect();
            }
        }
    }
}
