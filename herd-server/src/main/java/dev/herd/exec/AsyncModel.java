package dev.herd.exec;

import dev.herd.api.AsyncHandler;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.app.AppInstance;
import dev.herd.http.Cancellable;
import dev.herd.http.ResponseSink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/*
 * design: the app's AsyncHandler runs on the event loop that read the request (Uvicorn,
 * Node): no thread hand-off, no thread per request, unbounded concurrency from one thread per
 * loop. The price is that the handler must never block; blocking work goes through
 * AsyncContext.offload to a virtual-thread helper, whose results come back to the loop.
 * --max-concurrency, when set, admits that many requests per worker and queues the rest in
 * arrival order. The heartbeat's probe of every event loop (done by the HTTP server) is what
 * catches a handler that blocks its loop.
 */

/** The {@code async} execution model: handlers on the event loop. */
final class AsyncModel implements ExecutionModel {

    private final AsyncHandler handler;
    private final ExecutorService offload =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("herd-offload-", 1).factory());
    private final int maxConcurrency;
    /** Guarded by this; only used when maxConcurrency > 0. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int active;

    AsyncModel(AppInstance app, int maxConcurrency) {
        if (app.asyncHandler() == null) {
            throw new IllegalArgumentException("the async model needs an AsyncHandler app");
        }
        this.handler = app.asyncHandler();
        this.maxConcurrency = maxConcurrency;
    }

    @Override
    public String name() {
        return "async";
    }

    /**
     * Runs on the event loop: never blocks. A request past {@code --request-timeout} is not
     * stopped (a stage cannot be interrupted); its late outcome is dropped.
     */
    @Override
    public Cancellable dispatch(Request request, ScheduledExecutorService eventLoop, ResponseSink sink) {
        Runnable run = () -> invoke(request, eventLoop, sink);
        if (maxConcurrency == 0 || admit(() -> eventLoop.execute(run))) {
            run.run();
        }
        return Cancellable.NONE;
    }

    private void invoke(Request request, ScheduledExecutorService eventLoop, ResponseSink sink) {
        if (!sink.started()) {
            finished(); // it waited past --queue-timeout: its turn goes to the next
            return;
        }
        CompletionStage<Response> stage;
        try {
            stage = handler.handleAsync(request, new LoopAsyncContext(eventLoop, offload));
        } catch (Throwable t) {
            finished();
            sink.fail(t);
            return;
        }
        stage.whenComplete((response, error) -> {
            finished();
            if (error != null) {
                sink.fail(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            } else if (response == null) {
                sink.complete(null);
            } else {
                try {
                    // A blocking body writer must not run on the loop: it gets an offload thread.
                    ResponseBodies.deliver(response, sink, offload);
                } catch (Exception e) {
                    sink.fail(e);
                }
            }
        });
    }

    private synchronized boolean admit(Runnable later) {
        if (active < maxConcurrency) {
            active++;
            return true;
        }
        waiting.add(later);
        return false;
    }

    private void finished() {
        if (maxConcurrency == 0) {
            return;
        }
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                active--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    @Override
    public CompletableFuture<Void> probe() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void shutdown(Duration grace) {
        Threads.shutdown(offload, grace);
    }
}
