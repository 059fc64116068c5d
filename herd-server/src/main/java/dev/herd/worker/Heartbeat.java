package dev.herd.worker;

import dev.herd.engine.Engine;
import dev.herd.ipc.ControlClient;
import dev.herd.ipc.Message;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the master proof of life. Each beat first sends a probe through the engine (its event
 * loops, then the threads that run requests); only when the probe comes back is the heartbeat sent. A
 * worker whose loops or handler threads are stuck therefore goes quiet, and the master kills it
 * after {@code --timeout}. Runs on its own daemon thread, which only waits.
 */
final class Heartbeat implements Runnable {

    private final Engine engine;
    private final ControlClient control;
    private final Recycler recycler;
    private final Duration interval;

    Heartbeat(Engine engine, ControlClient control, Recycler recycler, Duration interval) {
        this.engine = engine;
        this.control = control;
        this.recycler = recycler;
        this.interval = interval;
    }

    /** A beat several times per timeout, at most one a second. */
    static Duration intervalFor(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        if (quarter.compareTo(Duration.ofMillis(10)) < 0) {
            return Duration.ofMillis(10);
        }
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
    }

    void start() {
        Thread.ofPlatform().name("herd-heartbeat").daemon().start(this);
    }

    @Override
    public void run() {
        try {
            while (true) {
                CompletableFuture<Void> probe = engine.probe();
                awaitPatiently(probe);
                long requests = engine.requests();
                control.send(new Message.Heartbeat(requests, engine.inFlight(), engine.connections(),
                        engine.streams(), engine.webSockets()));
                String retire = recycler.retireReason(requests);
                if (retire != null) {
                    control.send(new Message.Retire(retire));
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits as long as it takes: a stuck probe means no more heartbeats, which is the point. */
    private void awaitPatiently(CompletableFuture<Void> probe) throws InterruptedException {
        while (true) {
            try {
                probe.get(interval.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillStuck) {
                // Keep waiting on the same probe rather than piling up new ones.
            } catch (ExecutionException rejected) {
                return; // the model is shutting down; the worker is exiting anyway
            }
        }
    }
}
