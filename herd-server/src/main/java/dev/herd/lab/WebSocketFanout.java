package dev.herd.lab;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Many idle WebSockets, then broadcasts through them (a chat room's load): opens
 * {@code connections} WebSockets (at most {@value #HANDSHAKES_IN_FLIGHT} handshakes at a time),
 * waits until the server has sent nothing for {@value #QUIET_MILLIS} ms (a chat app announces
 * each member to all), holds them idle for {@code hold} (measure the server's memory meanwhile),
 * then sends {@code broadcasts} messages "#N" through the first one, one at a time (after
 * {@code warmupBroadcasts} that are not timed), and times the arrival of each at every open
 * WebSocket that gets it (the sender's included: a room sends its members' messages to
 * everyone); after broadcasts it holds them again for {@code hold} (memory once each has had
 * messages: permessage-deflate keeps its compressor from then on). Every phase is bounded: the
 * opening and the quiet by {@code openTimeout}, each broadcast by
 * {@value #BROADCAST_WAIT_MILLIS} ms.
 */
public final class WebSocketFanout {

    static final int HANDSHAKES_IN_FLIGHT = 256;
    static final long QUIET_MILLIS = 500;
    static final long BROADCAST_WAIT_MILLIS = 10_000;
    private static final long PAUSE_MILLIS = 200;

    /**
     * What to open, how long to hold it and how many broadcasts to time, after
     * {@code warmupBroadcasts} that are not; with {@code deflate}, permessage-deflate is offered.
     */
    public record Spec(String host, int port, String path, int connections, int threads, Duration openTimeout,
                       Duration hold, int warmupBroadcasts, int broadcasts, boolean deflate) {
        public Spec {
            if (connections < 1 || threads < 1 || broadcasts < 0 || warmupBroadcasts < 0 || hold.isNegative()
                    || openTimeout.isNegative() || openTimeout.isZero()) {
                throw new IllegalArgumentException("bad fan-out spec: " + connections + " connections, " + threads
                        + " threads, " + warmupBroadcasts + " + " + broadcasts + " broadcasts, hold " + hold
                        + ", open timeout " + openTimeout);
            }
        }
    }

    /**
     * @param openSeconds  until every WebSocket was open (or had failed)
     * @param quietSeconds then, until the server had been quiet for {@value #QUIET_MILLIS} ms
     * @param stillOpen    after the hold
     * @param expected     deliveries the broadcasts should have made (the WebSockets open at each)
     * @param latencyMicros each delivery's time from the send to its arrival
     * @param lastMillis    each broadcast's time from the send to its last arrival
     */
    public record Result(int wanted, int opened, int failed, double openSeconds, double quietSeconds, int stillOpen,
                         int broadcasts, long delivered, long expected, Histogram latencyMicros,
                         List<Double> lastMillis) {
        public double latencyMillis(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** Told, on the calling thread, what happened so far, before each hold. */
    public interface Phases {
        /** The WebSockets are open (those that opened) and the server is quiet. */
        void opened(int opened, int wanted, int failed, double openSeconds, double quietSeconds);

        /** The broadcasts are done (only when there were some). */
        void broadcasted(Result result);
    }

    private final Spec spec;
    private final URI uri;
    private final Semaphore handshakes = new Semaphore(HANDSHAKES_IN_FLIGHT);
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicReference<Member> sender = new AtomicReference<>();
    private final AtomicLongArray sentAt;
    private final AtomicLongArray lastArrival;
    private final AtomicReferenceArray<CountDownLatch> arrived;
    private final Histogram latency = new SynchronizedHistogram(PacedLane.MAX_LATENCY_MICROS, 3);
    private volatile long lastHeardNanos = System.nanoTime();

    private WebSocketFanout(Spec spec) {
        this.spec = spec;
        this.uri = WebSocketSession.uri(spec.host(), spec.port(), spec.path());
        int all = spec.warmupBroadcasts() + spec.broadcasts();
        this.sentAt = new AtomicLongArray(all + 1);
        this.lastArrival = new AtomicLongArray(all + 1);
        this.arrived = new AtomicReferenceArray<>(all + 1);
    }

    public static Result run(Spec spec, Phases told) throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(spec.threads(), new DefaultThreadFactory("herd-fanout"),
                EpollIoHandler.newFactory());
        try {
            return new WebSocketFanout(spec).run(loops, told);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
        }
    }

    private Result run(EventLoopGroup loops, Phases told) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(loops).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(WebSocketSession.initializer(Member::new, spec.deflate()));
        long start = System.nanoTime();
        long deadline = start + spec.openTimeout().toNanos();
        int attempts = 0;
        while (attempts < spec.connections() && handshakes.tryAcquire(left(deadline), TimeUnit.NANOSECONDS)) {
            attempts++;
            bootstrap.connect(spec.host(), spec.port()).addListener((ChannelFutureListener) future -> {
                if (!future.isSuccess()) {
                    handshakes.release();
                }
            });
        }
        // Every attempt has settled once all permits are back.
        if (handshakes.tryAcquire(HANDSHAKES_IN_FLIGHT, left(deadline), TimeUnit.NANOSECONDS)) {
            handshakes.release(HANDSHAKES_IN_FLIGHT);
        }
        long opened = System.nanoTime();
        int openCount = open.get();
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        long now;
        while ((now = System.nanoTime()) - lastHeardNanos < quietNanos && now < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        double openSeconds = (opened - start) / 1e9;
        double quietSeconds = (System.nanoTime() - opened) / 1e9;
        told.opened(openCount, spec.connections(), spec.connections() - openCount, openSeconds, quietSeconds);
        TimeUnit.NANOSECONDS.sleep(spec.hold().toNanos());
        int stillOpen = open.get();
        long expected = 0;
        long delivered = 0;
        List<Double> lastMillis = new ArrayList<>();
        Member from = sender.get();
        for (int b = 1; b < arrived.length() && from != null && from.isOpen(); b++) {
            int members = open.get();
            CountDownLatch latch = new CountDownLatch(members);
            arrived.set(b, latch);
            int broadcast = b;
            from.channel.eventLoop().execute(() -> {
                sentAt.set(broadcast, System.nanoTime());
                from.channel.writeAndFlush(new TextWebSocketFrame("#" + broadcast));
            });
            latch.await(BROADCAST_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (b > spec.warmupBroadcasts()) {
                expected += members;
                delivered += members - latch.getCount();
                long last = lastArrival.get(b);
                lastMillis.add(last == 0 ? Double.NaN : (last - sentAt.get(b)) / 1e6);
            }
            TimeUnit.MILLISECONDS.sleep(PAUSE_MILLIS);
        }
        Result result = new Result(spec.connections(), openCount, spec.connections() - openCount, openSeconds,
                quietSeconds, stillOpen, spec.broadcasts(), delivered, expected, latency.copy(),
                List.copyOf(lastMillis));
        if (arrived.length() > 1) {
            told.broadcasted(result);
            TimeUnit.NANOSECONDS.sleep(spec.hold().toNanos());
        }
        return result;
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** "#N" anywhere in a text message: the broadcast number N; -1 when it has none. */
    static int broadcastNumber(ByteBuf text) {
        int hash = text.indexOf(text.readerIndex(), text.writerIndex(), (byte) '#');
        if (hash < 0) {
            return -1;
        }
        int n = 0;
        int digits = 0;
        for (int i = hash + 1; i < text.writerIndex() && digits < 9; i++, digits++) {
            byte c = text.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return digits == 0 ? -1 : n;
    }

    /** One member: counts itself open, and each broadcast's arrival once. */
    private final class Member extends WebSocketSession {
        private boolean settled;
        private int lastBroadcast;

        Member() {
            super(uri, spec.deflate());
        }

        @Override
        void opened() {
            open.incrementAndGet();
            sender.compareAndSet(null, this);
            settle();
        }

        @Override
        void message(WebSocketFrame frame) {
            long now = System.nanoTime();
            lastHeardNanos = now;
            int b = frame instanceof TextWebSocketFrame ? broadcastNumber(frame.content()) : -1;
            CountDownLatch latch = b > lastBroadcast && b < arrived.length() ? arrived.get(b) : null;
            if (latch == null) {
                return;
            }
            lastBroadcast = b;
            if (b <= spec.warmupBroadcasts()) {
                latch.countDown();
                return;
            }
            latency.recordValue(Math.min(PacedLane.MAX_LATENCY_MICROS, Math.max(0, (now - sentAt.get(b)) / 1000)));
            lastArrival.accumulateAndGet(b, now, Math::max);
            latch.countDown();
        }

        @Override
        void closed(boolean wasOpen) {
            if (wasOpen) {
                open.decrementAndGet();
            }
            settle();
        }

        private void settle() {
            if (!settled) {
                settled = true;
                handshakes.release();
            }
        }
    }
}
