package dev.herd.lab;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link LoadLane}'s WebSocket twin: one event loop's WebSockets, each with one text message in
 * flight, answered by the server's next message (an echo endpoint). A message is counted, and
 * timed from its intended send time, when its answer arrives within the measured window; an
 * answer of another length counts as an error, as does a connection lost with a message in
 * flight or a handshake that failed. Lost connections are opened again.
 */
final class WebSocketLane implements Lane {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(2);
    private static final long RECONNECT_DELAY_MILLIS = 50;

    private final EventLoop loop;
    private final LoadSpec spec;
    private final URI uri;
    private final int connections;
    /** Null under closed loop. */
    private final RateSchedule schedule;
    private final long measureFrom;
    private final long measureUntil;
    private final Bootstrap bootstrap;
    private final ByteBuf payload;
    private final int messageBytes;
    private final boolean deflate;
    private final Histogram histogram = LoadLane.newHistogram();
    private final List<Channel> open = new ArrayList<>();
    /** Sockets with nothing to send yet (constant rate, ahead of schedule). */
    private final ArrayDeque<EchoSession> idle = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    private boolean stopped;
    private long completed;
    private long errors;

    WebSocketLane(EventLoop loop, LoadSpec spec, int messageBytes, boolean deflate, int connections,
                  RateSchedule schedule, long measureFrom, long measureUntil) {
        if (messageBytes < 1) {
            throw new IllegalArgumentException("a message has at least 1 byte, got " + messageBytes);
        }
        this.loop = loop;
        this.spec = spec;
        this.messageBytes = messageBytes;
        this.deflate = deflate;
        this.uri = WebSocketSession.uri(spec.host(), spec.port(), spec.mix().path(0));
        this.connections = connections;
        this.schedule = schedule;
        this.measureFrom = measureFrom;
        this.measureUntil = measureUntil;
        byte[] text = new byte[messageBytes];
        Arrays.fill(text, (byte) 'x');
        this.payload = Unpooled.directBuffer(messageBytes).writeBytes(text);
        this.bootstrap = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(WebSocketSession.initializer(EchoSession::new, deflate));
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
            for (Channel channel : List.copyOf(open)) {
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            }
            payload.release();
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

    private void connect() {
        if (stopped) {
            return;
        }
        bootstrap.connect(spec.host(), spec.port()).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                reconnectLater();
            }
        });
    }

    private void reconnectLater() {
        countError();
        loop.schedule(this::connect, RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private boolean measuring(long now) {
        return now >= measureFrom && now < measureUntil;
    }

    private void countError() {
        if (measuring(System.nanoTime())) {
            errors++;
        }
    }

    /** A WebSocket is free: its next message now, or parked until the schedule says so. */
    private void dispatch(EchoSession session) {
        if (stopped) {
            return;
        }
        if (schedule == null) {
            session.send(System.nanoTime());
        } else if (schedule.nextIntended() <= System.nanoTime()) {
            session.send(schedule.take());
        } else {
            idle.add(session);
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

    private void answered(EchoSession session, long intendedNanos, boolean ok) {
        long now = System.nanoTime();
        if (measuring(now)) {
            histogram.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (now - intendedNanos) / 1000)));
            completed++;
            if (!ok) {
                errors++;
            }
        }
        dispatch(session);
    }

    /** One WebSocket with at most one message in flight. */
    private final class EchoSession extends WebSocketSession {

        /** Intended send time of the message in flight; -1 when none is. */
        private long intended = -1;

        EchoSession() {
            super(uri, deflate);
        }

        void send(long intendedNanos) {
            intended = intendedNanos;
            channel.writeAndFlush(new TextWebSocketFrame(payload.retainedDuplicate()));
        }

        @Override
        void opened() {
            open.add(channel);
            dispatch(this);
        }

        @Override
        void message(WebSocketFrame frame) {
            if (intended >= 0) {
                long sentAt = intended;
                intended = -1;
                answered(this, sentAt, frame instanceof TextWebSocketFrame
                        && frame.content().readableBytes() == messageBytes);
            }
        }

        @Override
        void closed(boolean wasOpen) {
            open.remove(channel);
            idle.remove(this);
            if (stopped) {
                return;
            }
            if (!wasOpen) {
                reconnectLater();
                return;
            }
            if (intended >= 0) {
                countError();
            }
            connect();
        }
    }
}
