package dev.herd.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * How many of a fixed pool's app threads ({@code sync}: one, {@code threads}: the pool) are
 * held by a long-lived exchange: a body writer streaming, an event stream, a WebSocket handler.
 *
 * <p>The heartbeat's probe passes through the pool to prove its threads are not stuck, and a
 * worker whose probe does not come back within {@code --timeout} is killed as hung. A stream
 * that outlives the timeout is not a hung request (Gunicorn's sync workers are killed in that
 * case, gunicorn #1968, #3069): its thread waits for the client, and the stream has its own
 * limits ({@code --write-timeout}, {@code --ws-idle-timeout}). So when every thread is held
 * that way, the probe completes without a thread; a probe already queued behind them completes
 * when the last one is taken. A thread stuck in plain request code is still found out.
 */
final class LongLivedWork {

    private final int threads;
    private final List<CompletableFuture<Void>> probes = new ArrayList<>();
    private int held;

    LongLivedWork(int threads) {
        this.threads = threads;
    }

    /** Whether the pool has one thread, which a long-lived exchange then holds alone. */
    boolean onlyThread() {
        return threads == 1;
    }

    /** The calling app thread starts serving a long-lived exchange. */
    void begin() {
        List<CompletableFuture<Void>> passed;
        synchronized (this) {
            held++;
            if (held < threads) {
                return;
            }
            passed = new ArrayList<>(probes);
            probes.clear();
        }
        passed.forEach(probe -> probe.complete(null));
    }

    /** The calling app thread is done with it. */
    synchronized void end() {
        held--;
    }

    /** A probe through {@code pool}, or past it while every thread is held by a long-lived exchange. */
    CompletableFuture<Void> probe(Executor pool) {
        CompletableFuture<Void> probe = new CompletableFuture<>();
        synchronized (this) {
            if (held >= threads) {
                probe.complete(null);
                return probe;
            }
            probes.add(probe);
        }
        pool.execute(() -> {
            synchronized (this) {
                probes.remove(probe);
            }
            probe.complete(null);
        });
        return probe;
    }
}
