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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One connection to Redis, made in the background rather than at boot: herd's rule is that a
 * worker whose store is down still starts, and its calls fail (503) until the store is back.
 *
 * <p>Lettuce reconnects a connection by itself once it has been made, but not a first connection
 * that failed; so until one succeeds this class tries again in the background, backing off from
 * {@link #FIRST_RETRY} to {@link #MAX_RETRY} (Lettuce's own reconnect delays). Meanwhile calls
 * fail at once with the last attempt's reason. Only calls made during the very first attempt wait
 * for it (bounded by the timeout), and are then sent in the order they were made, so that one
 * thread's calls still reach Redis in order.
 */
final class LazyConnection<C extends StatefulConnection<?, ?>> {

    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(1);
    /** Calls that may wait for the first attempt; past that they fail rather than pile up. */
    static final int MAX_WAITING = 10_000;

    private final String role;
    private final Supplier<CompletionStage<C>> connect;
    private final Reachability reachability;
    private final ScheduledExecutorService retries;
    private final Duration timeout;
    private final Object lock = new Object();

    /** Set once, when made; from then on Lettuce keeps it connected. */
    private volatile C connection;
    private boolean attempting;
    /** Calls waiting for the first attempt; null once it is over. */
    private ArrayDeque<CompletableFuture<C>> waiting;
    /** Why the last attempt failed; null until one did, and once one succeeded. */
    private StateUnavailableException lastFailure;
    private Duration nextRetry = FIRST_RETRY;
    /** Volatile: the fast path of {@link #get} reads it without the lock. */
    private volatile boolean closed;

    LazyConnection(String role, Supplier<CompletionStage<C>> connect, Reachability reachability,
                   ScheduledExecutorService retries, Duration timeout) {
        this.role = role;
        this.connect = connect;
        this.reachability = reachability;
        this.retries = retries;
        this.timeout = timeout;
    }

    /** Starts connecting without waiting for it. */
    void start() {
        synchronized (lock) {
            if (closed || attempting || connection != null || lastFailure != null) {
                return;
            }
            attempting = true;
            waiting = new ArrayDeque<>();
        }
        attempt();
    }

    /** The connection: now when it is made, else after the first attempt; failed while Redis is unreachable. */
    CompletableFuture<C> get() {
        C ready = connection;
        if (ready != null && !closed) {
            return CompletableFuture.completedFuture(ready);
        }
        CompletableFuture<C> waiter = new CompletableFuture<>();
        boolean first = false;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(reachability.unreachable());
            }
            if (connection != null) {
                return CompletableFuture.completedFuture(connection);
            }
            if (lastFailure != null) {
                // A fresh exception per call: callers may add to it (suppressed, a cause).
                return CompletableFuture.failedFuture(
                        new StateUnavailableException(lastFailure.getMessage(), lastFailure.getCause()));
            }
            if (!attempting) {
                attempting = true;
                waiting = new ArrayDeque<>();
                first = true;
            }
            if (waiting.size() >= MAX_WAITING) {
                return CompletableFuture.failedFuture(new StateUnavailableException(
                        "more than " + MAX_WAITING + " shared state calls are waiting for a connection"));
            }
            waiting.add(waiter);
        }
        if (first) {
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
        String reason = Reachability.reason(failure);
        reachability.lost(role, reason);
        StateUnavailableException unreachable = reachability.unreachable(reason);
        unreachable.initCause(failure);
        List<CompletableFuture<C>> failedCalls;
        Duration retry;
        boolean retryLater;
        synchronized (lock) {
            lastFailure = unreachable;
            failedCalls = waiting == null ? List.of() : new ArrayList<>(waiting);
            waiting = null;
            retry = nextRetry;
            nextRetry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            retryLater = !closed;
            attempting = retryLater;
        }
        failedCalls.forEach(call -> call.completeExceptionally(unreachable));
        if (retryLater) {
            try {
                retries.schedule(this::attempt, retry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // Lettuce's threads are stopping: so is this worker.
            }
        }
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
                if (!closedMeanwhile && (waiting == null || waiting.isEmpty())) {
                    waiting = null;
                    lastFailure = null;
                    attempting = false;
                    connection = made;
                    return;
                }
                batch = waiting == null ? List.of() : new ArrayList<>(waiting);
                if (waiting != null) {
                    waiting.clear();
                }
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

    /** Closes the connection, if made; calls waiting for one fail, and no attempt follows. */
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
