package dev.herd.redis;

import dev.herd.api.state.AsyncSharedState;
import dev.herd.api.state.ChannelMessage;
import dev.herd.api.state.StateException;
import dev.herd.api.state.StateLimits;
import dev.herd.api.state.Subscription;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shared state's commands, each one Redis command (compare-and-set one script) on the
 * worker's command connection, which pipelines them. Limits are checked here, before anything is
 * sent; Lettuce's failures become the API's exceptions in {@link Reachability}.
 */
final class RedisSharedState implements AsyncSharedState {

    private final LazyConnection<StatefulRedisConnection<byte[], byte[]>> connection;
    private final Subscriptions subscriptions;
    private final Reachability reachability;

    RedisSharedState(LazyConnection<StatefulRedisConnection<byte[], byte[]>> connection,
                     Subscriptions subscriptions, Reachability reachability) {
        this.connection = connection;
        this.subscriptions = subscriptions;
        this.reachability = reachability;
    }

    @Override
    public CompletionStage<Optional<byte[]>> get(String key) {
        byte[] k = StateLimits.key(key);
        return call("GET", key, redis -> redis.get(k)).thenApply(Optional::ofNullable);
    }

    /** SET replaces the value and drops any time to live, unless PX gives a new one. */
    @Override
    public CompletionStage<Void> put(String key, byte[] value, Duration ttl) {
        byte[] k = StateLimits.key(key);
        byte[] v = StateLimits.value(value);
        long ttlMillis = StateLimits.ttlMillis(ttl);
        return call("SET", key, redis -> ttlMillis == 0 ? redis.set(k, v) : redis.set(k, v, SetArgs.Builder.px(ttlMillis)))
                .thenApply(ok -> null);
    }

    @Override
    public CompletionStage<Boolean> putIfAbsent(String key, byte[] value, Duration ttl) {
        byte[] k = StateLimits.key(key);
        byte[] v = StateLimits.value(value);
        long ttlMillis = StateLimits.ttlMillis(ttl);
        SetArgs onlyIfAbsent = ttlMillis == 0 ? SetArgs.Builder.nx() : SetArgs.Builder.nx().px(ttlMillis);
        // SET NX answers OK when it set, nothing when the key was there.
        return call("SET NX", key, redis -> redis.set(k, v, onlyIfAbsent)).thenApply(ok -> ok != null);
    }

    @Override
    public CompletionStage<Boolean> compareAndSet(String key, byte[] expected, byte[] update, Duration ttl) {
        byte[] k = StateLimits.key(key);
        byte[] e = expected == null ? null : StateLimits.value(expected);
        byte[] u = update == null ? null : StateLimits.value(update);
        long ttlMillis = StateLimits.ttlMillis(ttl);
        return call("compare-and-set", key, redis -> CompareAndSetScript.run(redis, k, e, u, ttlMillis));
    }

    /** INCRBY keeps the key's time to live, as the API asks. */
    @Override
    public CompletionStage<Long> increment(String key, long delta) {
        byte[] k = StateLimits.key(key);
        return call(redis -> redis.incrby(k, delta), error -> {
            if (error.contains("overflow")) {
                return new StateException("incrementing " + quote(key) + " by " + delta
                        + " would overflow a 64-bit integer (redis: " + error + ")");
            }
            if (error.contains("not an integer")) {
                return new StateException("cannot increment " + quote(key)
                        + ": its value is not a 64-bit decimal integer (redis: " + error + ")");
            }
            return refused("INCRBY", key, error);
        });
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        byte[] k = StateLimits.key(key);
        return call("DEL", key, redis -> redis.del(k)).thenApply(deleted -> deleted > 0);
    }

    @Override
    public CompletionStage<Boolean> expire(String key, Duration ttl) {
        byte[] k = StateLimits.key(key);
        if (ttl == null) {
            throw new IllegalArgumentException("expire needs a positive time to live, not null");
        }
        long ttlMillis = StateLimits.ttlMillis(ttl);
        return call("PEXPIRE", key, redis -> redis.pexpire(k, ttlMillis));
    }

    @Override
    public CompletionStage<List<String>> keys(String prefix) {
        byte[] p = StateLimits.prefix(prefix);
        return call("SCAN", prefix, redis -> KeyScan.keys(redis, p));
    }

    @Override
    public CompletionStage<Long> publish(String channel, byte[] message) {
        byte[] c = StateLimits.key(channel);
        byte[] m = StateLimits.value(message);
        return call("PUBLISH", channel, redis -> redis.publish(c, m));
    }

    @Override
    public CompletionStage<Subscription> subscribe(String channel, Consumer<ChannelMessage> listener) {
        return subscriptions.subscribe(channel, listener);
    }

    private <T> CompletableFuture<T> call(String command, String key,
                                          Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>> send) {
        return call(send, error -> refused(command, key, error));
    }

    /**
     * Sends on the connection: at once, on the caller's thread, once it is made, so that one
     * thread's calls reach Redis in the order made. The stage completes on Lettuce's I/O thread.
     */
    private <T> CompletableFuture<T> call(Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>> send,
                                          Function<String, StateException> refused) {
        CompletableFuture<T> result = new CompletableFuture<>();
        connection.get().whenComplete((redis, unreachable) -> {
            if (unreachable != null) {
                result.completeExceptionally(reachability.translate(unreachable, refused));
                return;
            }
            CompletionStage<T> sent;
            try {
                sent = send.apply(redis.async());
            } catch (RuntimeException e) {
                result.completeExceptionally(reachability.translate(e, refused));
                return;
            }
            sent.whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(reachability.translate(failure, refused));
                } else {
                    result.complete(value);
                }
            });
        });
        return result;
    }

    private static StateException refused(String command, String key, String error) {
        return new StateException("redis refused " + command + " on " + quote(key) + ": " + error);
    }

    /** The key in messages: quoted, and cut short, since a key may be a kilobyte long. */
    private static String quote(String key) {
        String shown = key.length() > 100 ? key.substring(0, 100) + "..." : key;
        return "'" + shown.replace("\n", "\\n") + "'";
    }
}
