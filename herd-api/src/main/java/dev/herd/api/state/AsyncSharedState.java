package dev.herd.api.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The non-blocking flavour of {@link SharedState}, with the same semantics and limits: each call
 * sends its command and returns at once; the stage completes when the store answers, on a herd
 * thread that serves the store's connection (keep what runs there short: move blocking work
 * elsewhere). Calls made one after another from one thread reach the store in that order, so
 * they pipeline. A stage fails with {@link StateUnavailableException} when the store cannot be
 * reached in time, {@link StateException} for a command the store refuses, and a limit is
 * checked before sending ({@link IllegalArgumentException}, thrown at once).
 */
public interface AsyncSharedState {

    CompletionStage<Optional<byte[]>> get(String key);

    default CompletionStage<Optional<String>> getString(String key) {
        return get(key).thenApply(value -> value.map(bytes -> new String(bytes, StandardCharsets.UTF_8)));
    }

    CompletionStage<Void> put(String key, byte[] value, Duration ttl);

    default CompletionStage<Void> put(String key, String value, Duration ttl) {
        return put(key, value.getBytes(StandardCharsets.UTF_8), ttl);
    }

    CompletionStage<Boolean> putIfAbsent(String key, byte[] value, Duration ttl);

    default CompletionStage<Boolean> putIfAbsent(String key, String value, Duration ttl) {
        return putIfAbsent(key, value.getBytes(StandardCharsets.UTF_8), ttl);
    }

    CompletionStage<Boolean> compareAndSet(String key, byte[] expected, byte[] update, Duration ttl);

    CompletionStage<Long> increment(String key, long delta);

    CompletionStage<Boolean> delete(String key);

    CompletionStage<Boolean> expire(String key, Duration ttl);

    CompletionStage<List<String>> keys(String prefix);

    CompletionStage<Long> publish(String channel, byte[] message);

    default CompletionStage<Long> publish(String channel, String message) {
        return publish(channel, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Completes once the subscription is in place; {@code listener} runs as in {@link SharedState#subscribe}. */
    CompletionStage<Subscription> subscribe(String channel, Consumer<ChannelMessage> listener);
}
