package dev.herd.redis;

import dev.herd.api.state.StateUnavailableException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One connection to Redis, made in the background rather than at boot: herd's rule is that a
 * worker whose store is down still starts, and its calls fail (503) until the store is back.
 *
 * <p>Lettuce reconnects a connection by itself once it has been made, but not a first connection
 * that failed; so until one succeeds, calls start a new attempt, at most one at a time and one per
 * {@link #RETRY_AFTER}, and in between fail at once with the last attempt's reason. Calls made
 * while an attempt runs wait for it (bounded by the timeout) and are then sent in the order they
 * were made, so that one thread's calls still reach Redis in order.
 */
final class LazyConnection<C extends StatefulConnection<?, ?>> {

    static final Duration RETRY_AFTER = Duration.ofMillis(200);

    /** Calls that may wait for a connection attempt; past that they fail rather than pile up. */
    static final int MAX_WAITING = 10_000;

    private final String role;
    private final Supplier<CompletionStage<C>> connect;
    private final Reachability reachability;
    private final Duration timeout;
    private final Object lock = new Object();

    /** Set once, when made; from then on Lettuce keeps it connected. */
    private volatile C connection;
    /** Calls waiting for the attempt under way; null when none is. */
    private ArrayDeque<CompletableFuture<C>> waiting;
    private StateUnavailableException lastFailure;
    private long failedAt;
    private boolean closed;

    LazyConnection(String role, Supplier<CompletionStage<C>> connect, Reachability reachability, Duration timeout) {
        this.role = role;
        this.connect = connect;
        this.reachability = reachability;
        this.timeout = timeout;
    }

    /** Starts connecting without waiting for it. */
    void start() {
        synchronized (lock) {
            if (closed || connection != null || waiting != null) {
                return;
            }
            waiting = new ArrayDeque<>();
        }
        attempt();
    }

    /** The connection, now when it is made, else once an attempt succeeds (or fails). */
    CompletableFuture<C> get() {
        C ready = connection;
        if (ready != null) {
            return CompletableFuture.completedFuture(ready);
        }
        CompletableFuture<C> waiter = new CompletableFuture<>();
        boolean startAttempt = false;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(reachability.unreachable());
            }
            if (connection != null) {
                return CompletableFuture.completedFuture(connection);
            }
            if (waiting == null) {
                if (lastFailure != null && System.nanoTime() - failedAt < RETRY_AFTER.toNanos()) {
                    return CompletableFuture.failedFuture(
                            new StateUnavailableException(lastFailure.getMessage(), lastFailure.getCause()));
                }
                waiting = new ArrayDeque<>();
                startAttempt = true;
            }
            if (waiting.size() >= MAX_WAITING) {
                return CompletableFuture.failedFuture(new StateUnavailableException(
                        "more than " + MAX_WAITING + " shared state calls are waiting for a connection"));
            }
            waiting.add(waiter);
        }
        if (startAttempt) {
            attempt();
        }
        return waiter.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void attempt() {
        CompletionStage<C> attempt;
        try {
            attempt = connect.get();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((made, failure) -> {
            if (failure != null) {
                failed(failure);
            } else {
                made.addListener(new StateListener());
                reachability.back(role);
                succeeded(made);
            }
        });
    }

    private void failed(Throwable failure) {
        reachability.lost(role, Reachability.reason(failure));
        StateUnavailableException unreachable = reachability.unreachable();
        unreachable.initCause(failure);
        List<CompletableFuture<C>> failedCalls;
        synchronized (lock) {
            lastFailure = unreachable;
            failedAt = System.nanoTime();
            failedCalls = new ArrayList<>(waiting);
            waiting = null;
        }
        failedCalls.forEach(call -> call.completeExceptionally(unreachable));
    }

    /**
     * Hands the connection to the waiting calls in order, outside the lock, and publishes it only
     * once none is left: a call made meanwhile queues behind them instead of overtaking them.
     */
    private void succeeded(C made) {
        while (true) {
            List<CompletableFuture<C>> batch;
            boolean closedMeanwhile;
            synchronized (lock) {
                closedMeanwhile = closed;
                if (!closedMeanwhile && waiting.isEmpty()) {
                    waiting = null;
                    lastFailure = null;
                    connection = made;
                    return;
                }
                batch = new ArrayList<>(waiting);
                waiting.clear();
            }
            if (closedMeanwhile) {
                made.closeAsync();
                StateUnavailableException unreachable = reachability.unreachable();
                batch.forEach(call -> call.completeExceptionally(unreachable));
                return;
            }
            batch.forEach(call -> call.complete(made));
        }
    }

    /** Closes the connection, if made; calls waiting for one fail. */
    CompletableFuture<Void> close() {
        List<CompletableFuture<C>> failedCalls;
        synchronized (lock) {
            closed = true;
            failedCalls = waiting == null ? List.of() : new ArrayList<>(waiting);
        }
        StateUnavailableException unreachable = reachability.unreachable();
        failedCalls.forEach(call -> call.completeExceptionally(unreachable));
        C made = connection;
        return made == null ? CompletableFuture.completedFuture(null) : made.closeAsync();
    }

    /** Lettuce's word on a made connection: dropped, and reconnected. */
    private final class StateListener implements RedisConnectionStateListener {

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            reachability.back(role);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            reachability.lost(role, "the connection was lost");
        }
    }
}
