package dev.herd.lab;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * herd lab's HTTP/1.1 load generator on Netty's epoll transport: keep-alive connections, one
 * request in flight per connection (or WebSockets, one message in flight per connection),
 * spread over event loops that share nothing (each {@link Lane} keeps its own connections and
 * histogram; they are merged at the end). Every run is bounded: it stops itself after its
 * warm-up and duration.
 */
public final class LoadGenerator {

    /** Told, on the calling thread, when the measured window opens and closes (to sample /proc around it). */
    public interface Phases {
        Phases NONE = new Phases() {
        };

        default void measuring() {
        }

        default void measured() {
        }
    }

    private LoadGenerator() {
    }

    public static LoadResult run(LoadSpec spec) throws InterruptedException {
        return run(spec, Phases.NONE);
    }

    public static LoadResult run(LoadSpec spec, Phases phases) throws InterruptedException {
        return run(spec, phases, (loop, connections, schedule, measureFrom, measureUntil) ->
                new LoadLane(loop, spec, connections, schedule, measureFrom, measureUntil));
    }

    /**
     * WebSocket messages instead of HTTP requests: each connection opens a WebSocket to the
     * spec's (first) path, sends a text message of {@code messageBytes}, waits for the server to
     * send one back, and so on (an echo endpoint); a message is counted as a request. With
     * {@code deflate}, permessage-deflate is offered, as browsers do.
     */
    public static LoadResult runWebSocket(LoadSpec spec, int messageBytes, boolean deflate)
            throws InterruptedException {
        return run(spec, Phases.NONE, (loop, connections, schedule, measureFrom, measureUntil) -> new WebSocketLane(
                loop, spec, messageBytes, deflate, connections, schedule, measureFrom, measureUntil));
    }

    /** Makes one event loop's lane: its share of the connections and of the rate (null: closed loop). */
    interface Lanes {
        Lane lane(EventLoop loop, int connections, RateSchedule schedule, long measureFrom, long measureUntil);
    }

    static LoadResult run(LoadSpec spec, Phases phases, Lanes factory) throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(spec.threads(), new DefaultThreadFactory("herd-load"),
                EpollIoHandler.newFactory());
        try {
            long start = System.nanoTime();
            long measureFrom = start + spec.warmup().toNanos();
            long measureUntil = measureFrom + spec.duration().toNanos();
            List<Lane> lanes = new ArrayList<>();
            for (int i = 0; i < spec.threads(); i++) {
                int connections = share(spec.connections(), spec.threads(), i);
                RateSchedule schedule = spec.closedLoop() ? null
                        : new RateSchedule(start, spec.rate() * connections / spec.connections());
                lanes.add(factory.lane(loops.next(), connections, schedule, measureFrom, measureUntil));
            }
            lanes.forEach(Lane::start);
            sleepUntil(measureFrom);
            phases.measuring();
            sleepUntil(measureUntil);
            phases.measured();
            List<Future<?>> stops = lanes.stream().<Future<?>>map(Lane::stop).toList();
            for (Future<?> stop : stops) {
                stop.await(5, TimeUnit.SECONDS);
            }
            return merge(lanes, spec.duration().toNanos() / 1e9);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000));
        }
    }

    private static LoadResult merge(List<Lane> lanes, double seconds) {
        Histogram latency = PacedLane.newHistogram();
        long requests = 0;
        long errors = 0;
        for (Lane lane : lanes) {
            latency.add(lane.histogram());
            requests += lane.completed();
            errors += lane.errors();
        }
        return new LoadResult(requests, errors, seconds, latency);
    }
}
