package dev.herd.lab;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@link LoadLane} (HTTP) and {@link WebSocketLane} share: one event loop's connections,
 * each with one exchange in flight, paced closed-loop or by a {@link RateSchedule}, timed from
 * each exchange's intended start (so a server that falls behind a constant rate is charged its
 * queueing, no coordinated omission), and counted only inside the measured window. Everything
 * runs on the loop, so nothing is shared or locked; the generator reads the totals only after
 * {@link #stop} completed.
 *
 * @param <C> a connection of the lane
 */
abstract class PacedLane<C> implements Lane {

    static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(2);
    static final long RECONNECT_DELAY_MILLIS = 50;

    final EventLoop loop;
    private final int connections;
    /** Null under closed loop. */
    private final RateSchedule schedule;
    private final long measureFrom;
    private final long measureUntil;
    private final Histogram histogram = newHistogram();
    /** Open connections, closed by {@link #stop}. */
    final List<Channel> open = new ArrayList<>();
    /** Connections with nothing to send yet (constant rate, ahead of schedule). */
    final ArrayDeque<C> idle = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    boolean stopped;
    private long completed;
    private long errors;

    PacedLane(EventLoop loop, int connections, RateSchedule schedule, long measureFrom, long measureUntil) {
        this.loop = loop;
        this.connections = connections;
        this.schedule = schedule;
        this.measureFrom = measureFrom;
        this.measureUntil = measureUntil;
    }

    static Histogram newHistogram() {
        return new Histogram(MAX_LATENCY_MICROS, 3);
    }

    /** Opens one more connection (again after a loss, while not stopped). Loop only. */
    abstract void connect();

    /** Starts {@code connection}'s next exchange, intended at {@code intendedNanos}. Loop only. */
    abstract void send(C connection, long intendedNanos);

    /** Closes the open connections and frees the lane's buffers, once stopped. Loop only. */
    abstract void closeAll();

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
            closeAll();
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

    final void connectLater() {
        loop.schedule(this::connect, RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private boolean measuring(long now) {
        return now >= measureFrom && now < measureUntil;
    }

    final void countError() {
        if (measuring(System.nanoTime())) {
            errors++;
        }
    }

    /** A connection is free: its next exchange now, or parked until the schedule says so. */
    final void dispatch(C connection) {
        if (stopped) {
            return;
        }
        if (schedule == null) {
            send(connection, System.nanoTime());
        } else if (schedule.nextIntended() <= System.nanoTime()) {
            send(connection, schedule.take());
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
            send(idle.poll(), schedule.take());
        }
        if (!idle.isEmpty()) {
            armTimer();
        }
    }

    /** {@code connection}'s exchange, intended at {@code intendedNanos}, is over: count it, go on. */
    final void completed(C connection, long intendedNanos, boolean ok) {
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
}
