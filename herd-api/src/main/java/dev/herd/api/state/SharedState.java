package dev.herd.api.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * State shared by every worker of one herd (and, with the {@code redis} backend, by every herd
 * that uses the same Redis): the blocking flavour, for the {@code sync}, {@code threads} and
 * {@code virtual} models. A call blocks its thread until the store answers; a virtual thread
 * parks and gives its carrier back. Under {@code async} use {@link #async()}, whose stages never
 * block the event loop.
 *
 * <p>Values are bytes; the {@code String} overloads store UTF-8. Keys and channel names are
 * non-empty strings of at most {@link StateLimits#MAX_KEY_BYTES} UTF-8 bytes, values and
 * messages at most {@link StateLimits#MAX_VALUE_BYTES}: past a limit the call throws
 * {@link IllegalArgumentException} naming the limit, and nothing is sent.
 *
 * <p>Time to live: every call that writes a value sets its time to live too, the one given or
 * none ({@code null}); {@link #increment} keeps the key's. A key past its time to live is gone
 * for every reader at once.
 *
 * <p>When the store cannot be reached (Redis stopped, say) a call fails with
 * {@link StateUnavailableException} within {@code --state-timeout}; a request handler that lets
 * it escape gets a 503, and herd logs why.
 */
public interface SharedState {

    /**
     * The shared state of the worker this code runs in.
     *
     * @throws IllegalStateException outside a herd worker (in a unit test, say)
     */
    static SharedState current() {
        return StateLookup.PROVIDER.sharedState();
    }

    /** The same store, non-blocking: for the {@code async} model and for pipelining. */
    AsyncSharedState async();

    Optional<byte[]> get(String key);

    default Optional<String> getString(String key) {
        return get(key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Sets the value, with no time to live. */
    default void put(String key, byte[] value) {
        put(key, value, null);
    }

    /** Sets the value; {@code ttl} null means it lives until deleted or evicted. */
    void put(String key, byte[] value, Duration ttl);

    default void put(String key, String value) {
        put(key, utf8(value), null);
    }

    default void put(String key, String value, Duration ttl) {
        put(key, utf8(value), ttl);
    }

    /** Sets the value only if the key is absent; true when it did. */
    boolean putIfAbsent(String key, byte[] value, Duration ttl);

    default boolean putIfAbsent(String key, String value, Duration ttl) {
        return putIfAbsent(key, utf8(value), ttl);
    }

    /**
     * Sets {@code update} only if the current value equals {@code expected}, atomically; true
     * when it did. {@code expected} null means "only if absent"; {@code update} null deletes.
     */
    boolean compareAndSet(String key, byte[] expected, byte[] update, Duration ttl);

    default boolean compareAndSet(String key, String expected, String update, Duration ttl) {
        return compareAndSet(key, expected == null ? null : utf8(expected), update == null ? null : utf8(update), ttl);
    }

    /**
     * Adds {@code delta} to the key's integer value (absent counts as 0) and returns the new
     * value. The value is stored as decimal text, so {@link #getString} reads it.
     *
     * @throws StateException when the value is not a 64-bit decimal integer or would overflow
     */
    long increment(String key, long delta);

    default long increment(String key) {
        return increment(key, 1);
    }

    /** Deletes the key; true when it was there. */
    boolean delete(String key);

    /** Gives an existing key a new time to live (positive); true when the key exists. */
    boolean expire(String key, Duration ttl);

    /** The keys that start with {@code prefix} (all of them for ""), in no particular order. */
    List<String> keys(String prefix);

    /**
     * Sends a message to every subscriber of {@code channel}, in every worker; returns how many
     * subscriptions (connections) it reached. Messages are not stored: a subscriber that is not
     * there misses them.
     */
    long publish(String channel, byte[] message);

    default long publish(String channel, String message) {
        return publish(channel, utf8(message));
    }

    /**
     * Calls {@code listener} with each message published on {@code channel} from now on, in the
     * order published, on one herd thread per worker (do not block it long: later messages
     * wait). Returns once the subscription is in place.
     */
    Subscription subscribe(String channel, Consumer<ChannelMessage> listener);

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
