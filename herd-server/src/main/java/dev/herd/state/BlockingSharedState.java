package dev.herd.state;

import dev.herd.api.state.AsyncSharedState;
import dev.herd.api.state.ChannelMessage;
import dev.herd.api.state.SharedState;
import dev.herd.api.state.StateException;
import dev.herd.api.state.StateUnavailableException;
import dev.herd.api.state.Subscription;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The blocking flavour over a backend's non-blocking one: each call waits for its stage (a
 * virtual thread parks while it waits). The backend times calls out itself; the wait here is a
 * second guard, a little longer, so that no caller waits forever on a stage nobody completes.
 */
public final class BlockingSharedState implements SharedState {

    private final AsyncSharedState async;
    private final long waitMillis;

    public BlockingSharedState(AsyncSharedState async, Duration timeout) {
        this.async = async;
        this.waitMillis = timeout.toMillis() + 1000;
    }

    @Override
    public AsyncSharedState async() {
        return async;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return await(async.get(key));
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        await(async.put(key, value, ttl));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Duration ttl) {
        return await(async.putIfAbsent(key, value, ttl));
    }

    @Override
    public boolean compareAndSet(String key, byte[] expected, byte[] update, Duration ttl) {
        return await(async.compareAndSet(key, expected, update, ttl));
    }

    @Override
    public long increment(String key, long delta) {
        return await(async.increment(key, delta));
    }

    @Override
    public boolean delete(String key) {
        return await(async.delete(key));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return await(async.expire(key, ttl));
    }

    @Override
    public List<String> keys(String prefix) {
        return await(async.keys(prefix));
    }

    @Override
    public long publish(String channel, byte[] message) {
        return await(async.publish(channel, message));
    }

    @Override
    public Subscription subscribe(String channel, Consumer<ChannelMessage> listener) {
        return await(async.subscribe(channel, listener));
    }

    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime; // as is: the app's catch blocks see the documented types
            }
            throw new StateException("shared state call failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new StateUnavailableException("shared state did not answer within " + waitMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while waiting for the shared state");
        }
    }
}
