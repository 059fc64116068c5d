package dev.herd.servlet;

import dev.herd.metrics.HttpMetrics;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * How many threads run the app at once: 1 under {@code sync}, {@code --threads} under
 * {@code threads}, {@code --max-concurrency} (or no limit) under {@code virtual}. Jetty's pool
 * has a few more threads than that for its own selectors and I/O, so the execution model is
 * enforced here rather than by the pool's size. A request past the limit waits in a queue
 * without holding a thread, and runs when a thread leaves the app: a request the app suspends
 * ({@code startAsync}, Jersey's {@code @Suspended}) gives its place back when its thread returns,
 * as that thread is free again.
 *
 * <p>The queue is bounded as herd's own engine bounds it: past {@code --max-queue} requests
 * waiting, or after {@code --queue-timeout} in it, a request is answered 503 with
 * {@code Retry-After} without running.
 *
 * <p>The heartbeat's probe queues here like a request ({@link #probe}), so a worker whose app
 * threads are all stuck stops beating and the master replaces it, as with herd's own models.
 */
final class RequestGate extends Handler.Wrapper {

    private final int limit;
    private final Executor executor;
    private final HttpMetrics metrics;
    private final int maxQueue;
    private final Duration queueTimeout;
    private final Scheduler scheduler;
    // Guarded by this.
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;
    /** Requests in {@link #waiting} (the rest are probes). */
    private int queuedRequests;

    /**
     * @param limit    threads in the app at once; 0: no limit
     * @param executor where a queued request runs once its turn comes (the model's threads)
     * @param metrics  takes each request's queue time: from its head arriving to the app starting
     *                 it, which covers Jetty's hand-over to a thread and the wait for a turn here
     */
    RequestGate(int limit, Executor executor, HttpMetrics metrics, int maxQueue, Duration queueTimeout,
                Scheduler scheduler) {
        this.limit = limit;
        this.executor = executor;
        this.metrics = metrics;
        this.maxQueue = maxQueue;
        this.queueTimeout = queueTimeout;
        this.scheduler = scheduler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (limit == 0) {
            started(request);
            return super.handle(request, response, callback);
        }
        synchronized (this) {
            if (running >= limit) {
                if (maxQueue > 0 && queuedRequests >= maxQueue) {
                    refuse("queue_full", response, callback);
                    return true;
                }
                Runnable turn = new Runnable() {
                    @Override
                    public void run() {
                        runQueued(request, response, callback);
                    }
                };
                waiting.add(turn);
                queuedRequests++;
                if (!queueTimeout.isZero()) {
                    scheduler.schedule(() -> expire(turn, response, callback), queueTimeout.toNanos(),
                            TimeUnit.NANOSECONDS);
                }
                return true;
            }
            running++;
        }
        try {
            started(request);
            return super.handle(request, response, callback);
        } finally {
            release();
        }
    }

    private void started(Request request) {
        metrics.queued(System.nanoTime() - request.getBeginNanoTime());
    }

    /** The request waited past --queue-timeout: it leaves the queue with its 503, unless its turn came first. */
    private void expire(Runnable turn, Response response, Callback callback) {
        synchronized (this) {
            if (!waiting.remove(turn)) {
                return;
            }
            queuedRequests--;
        }
        refuse("queue_timeout", response, callback);
    }

    private void refuse(String reason, Response response, Callback callback) {
        metrics.rejected(reason);
        response.setStatus(503);
        response.getHeaders().put("Retry-After", "1");
        response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
        Content.Sink.write(response, true, "Service Unavailable: the server is overloaded; retry later\n", callback);
    }

    private void runQueued(Request request, Response response, Callback callback) {
        try {
            started(request);
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, 404);
            }
        } catch (Throwable failure) {
            Response.writeError(request, response, callback, failure);
        } finally {
            release();
        }
    }

    /** Hands the place to the next in line, or frees it. */
    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            } else if (!(next instanceof Probe)) {
                queuedRequests--;
            }
        }
        if (next != null) {
            executor.execute(next);
        }
    }

    /** Completes once a task has had its turn on the app's threads, behind the requests waiting now. */
    CompletableFuture<Void> probe() {
        CompletableFuture<Void> passed = new CompletableFuture<>();
        if (limit == 0) {
            run(() -> passed.complete(null), passed);
            return passed;
        }
        Runnable task = (Probe) () -> {
            passed.complete(null);
            release();
        };
        synchronized (this) {
            if (running >= limit) {
                waiting.add(task);
                return passed;
            }
            running++;
        }
        if (!run(task, passed)) {
            synchronized (this) {
                running--;
            }
        }
        return passed;
    }

    /** The heartbeat's task in the queue, which is no request: it counts against neither limit. */
    private interface Probe extends Runnable {
    }

    /**
     * Hands the probe to the model's threads; once they are shut down (the worker is stopping),
     * the probe fails, which the heartbeat takes as the end, rather than an exception on its thread.
     */
    private boolean run(Runnable task, CompletableFuture<Void> passed) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException stopping) {
            passed.completeExceptionally(stopping);
            return false;
        }
    }
}
