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
import java.util.concurrent.Semaphore;

/*
 * design: a new virtual thread per request (like gevent or goroutines): blocking calls park
 * the virtual thread and free its carrier, so thousands of waiting requests cost little.
 * --max-concurrency, when set, bounds how many run the app at once; the others park on a
 * fair semaphore in arrival order. The heartbeat probe is one more virtual thread: if every
 * carrier is pinned by CPU-bound or pinned handlers, it never gets to run.
 */

/** The {@code virtual} execution model: one virtual thread per request. */
final class VirtualModel implements ExecutionModel {

    private final BlockingInvoker invoker;
    private final ExecutorService threads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("herd-virtual-", 1).factory());
    private final Semaphore permits;

    VirtualModel(AppInstance app, int maxConcurrency) {
        this.invoker = new BlockingInvoker(app);
        this.permits = maxConcurrency > 0 ? new Semaphore(maxConcurrency, true) : null;
    }

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public Cancellable dispatch(Request request, ScheduledExecutorService eventLoop, ResponseSink sink) {
        InterruptibleTask task = new InterruptibleTask(
                permits == null ? () -> invoker.invoke(request, sink) : () -> invokeLimited(request, sink));
        threads.execute(task);
        return task;
    }

    private void invokeLimited(Request request, ResponseSink sink) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            sink.fail(e);
            return;
        }
        try {
            invoker.invoke(request, sink);
        } finally {
            permits.release();
        }
    }

    @Override
    public CompletableFuture<Void> probe() {
        return CompletableFuture.runAsync(() -> { }, threads);
    }

    @Override
    public void shutdown(Duration grace) {
        Threads.shutdown(threads, grace);
    }
}
