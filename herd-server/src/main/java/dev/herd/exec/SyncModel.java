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
 * design: one dedicated platform thread per worker runs every request, one at a time, in
 * arrival order (Gunicorn's sync worker). Requests that arrive meanwhile wait in the executor's
 * queue while the event loop keeps reading sockets. Concurrency comes only from more workers.
 * The heartbeat probe waits in the same queue, so a handler stuck longer than --timeout gets
 * the worker replaced, as Gunicorn's sync worker is.
 */

/** The {@code sync} execution model: one request at a time on one thread. */
final class SyncModel implements ExecutionModel {

    private final LongLivedWork longLived = new LongLivedWork(1);
    private final BlockingInvoker invoker;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Threads.platform("herd-sync"));

    SyncModel(AppInstance app) {
        this.invoker = new BlockingInvoker(app, longLived);
    }

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public Cancellable dispatch(Request request, ScheduledExecutorService eventLoop, ResponseSink sink) {
        InterruptibleTask task = new InterruptibleTask(() -> invoker.invoke(request, sink));
        thread.execute(task);
        return task;
    }

    @Override
    public CompletableFuture<Void> probe() {
        return longLived.probe(thread);
    }

    @Override
    public void shutdown(Duration grace) {
        Threads.shutdown(thread, grace);
    }
}
