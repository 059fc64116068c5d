package dev.herd.exec;

import dev.herd.api.Request;
import dev.herd.app.AppInstance;
import dev.herd.config.VirtualScheduler;
import dev.herd.http.Cancellable;
import dev.herd.http.ResponseSink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/*
 * design: a new virtual thread per request (like gevent or goroutines): blocking calls park
 * the virtual thread and free its carrier, so thousands of waiting requests cost little.
 * --max-concurrency, when set, bounds how many run the app at once; the others park on a
 * fair semaphore in arrival order.
 *
 * Under --virtual-scheduler pool the JDK's carrier pool runs them (goroutines): every request
 * is handed from its event loop to a carrier and its response back, a wake-up of a sleeping
 * thread each way. The heartbeat probe is one more virtual thread: if every carrier is pinned
 * by CPU-bound or pinned handlers, it never gets to run. Under loop, the event loop that read
 * the request carries its virtual thread (gevent): no hand-off, and the server's own probe of
 * each loop is the heartbeat.
 */

/** The {@code virtual} execution model: one virtual thread per request. */
final class VirtualModel implements ExecutionModel {

    private static final String NAME_PREFIX = "herd-virtual";

    private final BlockingInvoker invoker;
    /** Under pool: every request's thread. */
    private final ExecutorService pooled;
    /** Under loop: the threads carried by each event loop. */
    private final Map<ScheduledExecutorService, ExecutorService> byLoop = new ConcurrentHashMap<>();
    private final Semaphore permits;

    VirtualModel(AppInstance app, int maxConcurrency, VirtualScheduler scheduler) {
        this.invoker = new BlockingInvoker(app, null);
        this.permits = maxConcurrency > 0 ? new Semaphore(maxConcurrency, true) : null;
        if (scheduler == VirtualScheduler.LOOP) {
            // Fails the worker's boot with the reason, rather than its first request.
            LoopCarriedThreads.requireAvailable();
        }
        this.pooled = scheduler == VirtualScheduler.POOL
                ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(NAME_PREFIX + "-", 1).factory())
                : null;
    }

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public Cancellable dispatch(Request request, ScheduledExecutorService eventLoop, ResponseSink sink) {
        InterruptibleTask task = new InterruptibleTask(
                permits == null ? () -> invoker.invoke(request, sink) : () -> invokeLimited(request, sink));
        threadsFor(eventLoop).execute(task);
        return task;
    }

    private ExecutorService threadsFor(ScheduledExecutorService eventLoop) {
        if (pooled != null) {
            return pooled;
        }
        ExecutorService threads = byLoop.get(eventLoop);
        if (threads == null) {
            threads = byLoop.computeIfAbsent(eventLoop, loop ->
                    Executors.newThreadPerTaskExecutor(LoopCarriedThreads.factory(loop, NAME_PREFIX)));
        }
        return threads;
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
        return pooled != null ? CompletableFuture.runAsync(() -> { }, pooled) : CompletableFuture.completedFuture(null);
    }

    @Override
    public void shutdown(Duration grace) {
        // Under loop this runs off the loops, which carry these threads and stay up until they end.
        Threads.shutdown(pooled != null ? List.of(pooled) : List.copyOf(byLoop.values()), grace);
    }
}
