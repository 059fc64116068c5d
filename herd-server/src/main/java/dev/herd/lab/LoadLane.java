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
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of a load run: its connections, its request counter and its
 * histogram. Everything here runs on that event loop, so nothing is shared or locked; the
 * generator reads the totals only after {@link #stop} completed.
 */
final class LoadLane implements Lane {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(2);
    private static final long RECONNECT_DELAY_MILLIS = 50;

    private final EventLoop loop;
    private final LoadSpec spec;
    private final int connections;
    /** Null under closed loop. */
    private final RateSchedule schedule;
    private final long measureFrom;
    private final long measureUntil;
    private final Bootstrap bootstrap;
    private final ByteBuf[] requests;
    private final Histogram histogram = newHistogram();
    private final List<Channel> open = new ArrayList<>();
    /** Connections with nothing to send yet (constant rate, ahead of schedule). */
    private final ArrayDeque<LaneConnection> idle = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    private boolean stopped;
    private long sent;
    private long completed;
    private long errors;

    LoadLane(EventLoop loop, LoadSpec spec, int connections, RateSchedule schedule, long measureFrom,
             long measureUntil) {
        this.loop = loop;
        this.spec = spec;
        this.connections = connections;
        this.schedule = schedule;
        this.measureFrom = measureFrom;
        this.measureUntil = measureUntil;
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

    static Histogram newHistogram() {
        return new Histogram(MAX_LATENCY_MICROS, 3);
    }

    @Override
    public void start() {
        loop.execute(() -> {
            for (int i = 0; i < connections; i++) {
                connect();
            }
        });
    }

    @Override
    public Future<?> stop() {
        return loop.submit(() -> {
            stopped = true;
            if (timer != null) {
                timer.cancel(false);
            }
            List.copyOf(open).forEach(Channel::close);
            for (ByteBuf request : requests) {
                request.release();
            }
        });
    }

    @Override
    public Histogram histogram() {
        return histogram;
    }

    @Override
    public long completed() {
        return completed;
    }

    @Override
    public long errors() {
        return errors;
    }

    private ByteBuf encode(String path) {
        String text = "GET " + path + " HTTP/1.1\r\nHost: " + spec.host() + ":" + spec.port() + "\r\n\r\n";
        return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        bootstrap.connect(spec.host(), spec.port()).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                countError();
                loop.schedule(this::connect, RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    private boolean measuring(long now) {
        return now >= measureFrom && now < measureUntil;
    }

    private void countError() {
        if (measuring(System.nanoTime())) {
            errors++;
        }
    }

    /** A connection is free: give it its next request now, or park it until the schedule says so. */
    private void dispatch(LaneConnection connection) {
        if (stopped) {
            return;
        }
        if (schedule == null) {
            connection.send(System.nanoTime());
            return;
        }
        if (schedule.nextIntended() <= System.nanoTime()) {
            connection.send(schedule.take());
        } else {
            idle.add(connection);
            armTimer();
        }
    }

    private void armTimer() {
        if (timer == null && !stopped) {
            long delay = Math.max(0, schedule.nextIntended() - System.nanoTime());
            timer = loop.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        timer = null;
        long now = System.nanoTime();
        while (!idle.isEmpty() && schedule.nextIntended() <= now) {
            idle.poll().send(schedule.take());
        }
        if (!idle.isEmpty()) {
            armTimer();
        }
    }

    private void completed(LaneConnection connection, long intendedNanos, boolean ok) {
        long now = System.nanoTime();
        if (measuring(now)) {
            histogram.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (now - intendedNanos) / 1000)));
            completed++;
            if (!ok) {
                errors++;
            }
        }
        dispatch(connection);
    }

    /** One keep-alive connection with at most one request in flight. */
    private final class LaneConnection extends ChannelInboundHandlerAdapter {

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
