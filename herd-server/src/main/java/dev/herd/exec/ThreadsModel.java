package dev.herd.exec;

import dev.herd.api.Request;
import dev.herd.app.AppInstance;
import dev.herd.http.Cancellable;
import dev.herd.http.ResponseSink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/*
 * design: a fixed pool of --threads platform threads per worker (Gunicorn's gthread, Puma).
 * Up to --threads requests run at once and may block; the rest wait in the pool's FIFO queue.
 * Threads share the app instance, so the app must be thread-safe. The heartbeat probe joins
 * the same queue: when every thread is stuck, the probe never runs and the worker is hung; but
 * threads held by streams and WebSockets are not stuck ({@link LongLivedWork}).
 */

/** The {@code threads} execution model: a fixed pool of platform threads. */
final class ThreadsModel implements ExecutionModel {

    private final LongLivedWork longLived;
    private final BlockingInvoker invoker;
    private final ExecutorService pool;

    ThreadsModel(AppInstance app, int threads) {
        this.longLived = new LongLivedWork(threads);
        this.invoker = new BlockingInvoker(app, longLived);
        this.pool = Executors.newFixedThreadPool(threads, Threads.platform("herd-thread"));
    }

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public Cancellable dispatch(Request request, ScheduledExecutorService eventLoop, ResponseSink sink) {
        InterruptibleTask task = new InterruptibleTask(() -> invoker.invoke(request, sink));
        pool.execute(task);
        return task;
    }

    @Override
    public CompletableFuture<Void> probe() {
        return longLived.probe(pool);
    }

    @Override
    public void shutdown(Duration grace) {
        Threads.shutdown(pool, grace);
    }
}
