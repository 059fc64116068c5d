package dev.herd.servlet;

import dev.herd.config.Config;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Jetty's threads for each execution model. {@code sync} and {@code threads}: a pool whose app
 * threads are bounded by the {@link RequestGate} at 1 or {@code --threads}, plus what Jetty
 * needs for its selectors (one per {@code --io-threads} and connector) and its I/O callbacks.
 * {@code virtual}: Jetty runs each request on a virtual thread (its own virtual-thread support),
 * bounded only by {@code --max-concurrency}. {@code async} has no servlet equivalent and is
 * refused before any worker starts.
 */
record JettyThreads(QueuedThreadPool pool, int appLimit, Executor appExecutor, String modelName,
                    ExecutorService virtualThreads) {

    /** Pool threads beyond the app's and the selectors': Jetty's own callbacks and timers. */
    private static final int SPARE = 4;

    static JettyThreads of(Config config) {
        // Every connector (one per listener, one for handed-over connections) leases its selectors.
        int selectors = config.ioThreads() * (config.binds().size() + 1) + 1;
        return switch (config.workerClass()) {
            case SYNC -> platform(1, selectors, "sync");
            case THREADS -> platform(config.threads(), selectors, "threads");
            case VIRTUAL -> {
                ExecutorService virtual = Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("herd-virtual-", 0).factory());
                QueuedThreadPool pool = pool(selectors + SPARE);
                pool.setVirtualThreadsExecutor(virtual);
                yield new JettyThreads(pool, config.maxConcurrency(), virtual, "virtual", virtual);
            }
            case ASYNC -> throw new IllegalArgumentException("servlet apps do not run under --worker-class async");
        };
    }

    private static JettyThreads platform(int appThreads, int selectors, String name) {
        QueuedThreadPool pool = pool(appThreads + selectors + SPARE);
        return new JettyThreads(pool, appThreads, pool, name, null);
    }

    private static QueuedThreadPool pool(int max) {
        QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(max, 8));
        pool.setName("herd-jetty");
        // Jetty's own reserve stays: a reserved thread lets a selector run the request it just
        // read and hand selecting over, instead of dispatching it. The gate still counts the app's.
        return pool;
    }

    void shutdown() {
        if (virtualThreads != null) {
            virtualThreads.shutdownNow();
        }
    }
}
