package dev.herd.http;

import dev.herd.metrics.HttpMetrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Load counters of one worker's HTTP server, read by the heartbeat. Thread-safe. */
final class ServerStats {

    final LongAdder requests = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    /** Responses streaming now (bodies the app writes, event streams). */
    final AtomicInteger streams = new AtomicInteger();
    /** WebSockets open now (each also counts as a connection). */
    final AtomicInteger webSockets = new AtomicInteger();
    /** Durations, sizes and queue times, for the master's /metrics. */
    final HttpMetrics metrics;
    /** Requests waiting for the app (--max-queue, --queue-timeout). */
    final RequestQueue queue;

    ServerStats(RequestQueue queue, HttpMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
    }
    /** Set once on graceful stop: no new keep-alive, idle connections close. */
    volatile boolean draining;
}
