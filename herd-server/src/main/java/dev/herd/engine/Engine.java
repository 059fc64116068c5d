package dev.herd.engine;

import dev.herd.config.BindAddress;
import dev.herd.metrics.HttpMetrics;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What serves HTTP inside one worker, for the app it hosts: herd's own Netty HTTP for
 * {@code herd-api} apps ({@link HerdEngine}), an embedded Jetty for servlet apps (the
 * herd-servlet module). The worker around it is the same for every engine: it receives the
 * sockets, beats the heart, counts, drains and exits as the master says, so supervision,
 * reload, recycling and balancing hold whatever the engine.
 */
public interface Engine {

    /**
     * Accepts on a listening socket the master bound and handed over (never bound here).
     *
     * @param address what the descriptor listens on
     */
    void listen(int fd, BindAddress address) throws Exception;

    /**
     * Serves one connection the master accepted and handed over ({@code --balance least-busy},
     * and reuseport's orphaned slots). Any thread.
     */
    void adopt(int fd, BindAddress address);

    /**
     * The event loops the handoff connections should read on, so that a received connection
     * starts on the loop that will serve it; {@code null}: the worker's control loop.
     */
    default EventLoopGroup handoffLoops() {
        return null;
    }

    /**
     * Completes once a task has passed through everything that runs requests (event loops,
     * request threads). The heartbeat waits for it: a worker whose threads are all stuck goes
     * quiet and the master replaces it after {@code --timeout}.
     */
    CompletableFuture<Void> probe();

    /** Requests answered so far. */
    long requests();

    /** Requests being handled now. */
    int inFlight();

    /** Client connections open now. */
    int connections();

    /** Request durations, body sizes and queue times, which the worker reports to the master. */
    HttpMetrics httpMetrics();

    /** Responses streaming now (bodies the app writes, event streams), when the engine tells them apart. */
    default int streams() {
        return 0;
    }

    /** WebSockets open now, when the engine serves them. */
    default int webSockets() {
        return 0;
    }

    /**
     * Starts a graceful stop: stops accepting, answers in-flight and later requests with
     * {@code Connection: close}, and closes connections that stay idle for a moment.
     */
    void drain();

    /** Closes this worker's copies of the listening sockets; accepted connections are served on. */
    void stopAccepting();

    /** Waits until no connection is open and no request runs, or {@code grace} passes; true when all closed. */
    boolean awaitConnectionsClosed(Duration grace) throws InterruptedException;

    /**
     * After the drain: lets what still runs finish for up to {@code grace}, runs the app's stop
     * hooks, closes every connection and releases the engine's threads and files.
     */
    void stop(Duration grace);

    /** Reopens the access log by its path (logrotate, USR1). Any thread. */
    void reopenLogs();

    /** One phrase for the log: what is served and how, e.g. "com.example.App with the threads model". */
    String describe();
}
