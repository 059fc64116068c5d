package dev.herd.exec;

import dev.herd.app.AppInstance;
import dev.herd.config.Config;
import dev.herd.http.RequestDispatcher;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where a worker runs the app's handler: the one thing that differs between {@code sync},
 * {@code threads}, {@code virtual} and {@code async}. Socket I/O is always on Netty's event
 * loops; a model only decides which thread calls the app. Every executor a model uses is made
 * in its own class, with a design note at the top of the file.
 */
public sealed interface ExecutionModel extends RequestDispatcher
        permits SyncModel, ThreadsModel, VirtualModel, AsyncModel {

    /** What a worker JVM must open for {@code --virtual-scheduler loop}, as {@code --add-opens} takes it. */
    String LOOP_SCHEDULER_OPENS = LoopCarriedThreads.OPENS;

    /** The name users write after {@code --worker-class}. */
    String name();

    /**
     * Completes when a task has passed through the threads that run the app. The heartbeat
     * waits for it, so a worker whose app threads are all stuck stops sending heartbeats and
     * the master treats it as hung.
     */
    CompletableFuture<Void> probe();

    /** Lets running handlers finish for up to {@code grace}, then interrupts them. */
    void shutdown(Duration grace);

    static ExecutionModel create(Config config, AppInstance app) {
        return switch (config.workerClass()) {
            case SYNC -> new SyncModel(app);
            case THREADS -> new ThreadsModel(app, config.threads());
            case VIRTUAL -> new VirtualModel(app, config.maxConcurrency(), config.virtualScheduler());
            case ASYNC -> new AsyncModel(app, config.maxConcurrency());
        };
    }
}
