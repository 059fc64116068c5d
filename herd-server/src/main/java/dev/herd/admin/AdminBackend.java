package dev.herd.admin;

import java.util.concurrent.CompletableFuture;

/**
 * What the admin listener asks the master. Each answer is made on the master's own thread, from
 * its state there; a master whose thread no longer turns never answers, and the listener says
 * so with a 503 after a moment.
 */
public interface AdminBackend {

    /** The master's view for the health probes. */
    record Health(boolean started, boolean ready) {
    }

    /** The metrics exposition, in OpenMetrics or in the Prometheus text format. */
    CompletableFuture<String> metrics(boolean openMetrics);

    /** What {@code herd ctl status --json} prints. */
    CompletableFuture<String> status();

    /** The live picture: every process, its threads, rates, latencies and recent events, as JSON. */
    CompletableFuture<String> live();

    /** Completes on the master's thread, which is what proves it alive. */
    CompletableFuture<Health> health();
}
