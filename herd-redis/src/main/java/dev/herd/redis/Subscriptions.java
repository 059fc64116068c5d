package dev.herd.redis;

import dev.herd.api.state.ChannelMessage;
import dev.herd.api.state.StateException;
import dev.herd.api.state.StateLimits;
import dev.herd.api.state.Subscription;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A worker's subscriptions, all on one pub/sub connection: Redis sends each message once per
 * connection, and herd hands it to every listener of its channel. A channel is subscribed with
 * its first listener and unsubscribed with its last. Lettuce subscribes again to every channel
 * when it reconnects.
 */
final class Subscriptions extends RedisPubSubAdapter<byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger("dev.herd.redis");

    private final LazyConnection<StatefulRedisPubSubConnection<byte[], byte[]>> connection;
    private final Executor deliveries;
    private final Reachability reachability;
    /** By channel name; changed under {@code this}' lock, read by the I/O thread without it. */
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    /** {@code connect} makes the pub/sub connection, when the first channel is subscribed. */
    Subscriptions(Supplier<CompletionStage<StatefulRedisPubSubConnection<byte[], byte[]>>> connect,
                  Executor deliveries, Reachability reachability, ScheduledExecutorService retries, Duration timeout) {
        this.connection = new LazyConnection<>("pub/sub", () -> connect.get().thenApply(made -> {
            made.addListener(this);
            return made;
        }), reachability, retries, timeout);
        this.deliveries = deliveries;
        this.reachability = reachability;
    }

    CompletableFuture<Void> close() {
        return connection.close();
    }

    CompletionStage<Subscription> subscribe(String channelName, Consumer<ChannelMessage> listener) {
        byte[] name = StateLimits.key(channelName);
        Objects.requireNonNull(listener, "listener");
        String key = new String(name, StandardCharsets.UTF_8);
        Channel channel;
        Listener added;
        synchronized (this) {
            channel = channels.get(key);
            if (channel == null) {
                channel = new Channel(key, name);
                channels.put(key, channel);
                channel.subscribed = send(c -> c.async().subscribe(name));
            }
            added = new Listener(channel, listener);
            channel.listeners.add(added);
        }
        Channel subscribing = channel;
        return channel.subscribed.handle((done, failure) -> {
            if (failure == null) {
                return added;
            }
            // The channel was never in place: forget it with all its listeners, which fail alike.
            synchronized (this) {
                channels.remove(subscribing.key, subscribing);
            }
            throw reachability.translate(failure, error -> new StateException(
                    "redis refused SUBSCRIBE " + subscribing.key + ": " + error));
        });
    }

    private synchronized void unsubscribe(Listener listener) {
        Channel channel = listener.channel;
        if (channel.listeners.remove(listener) && channel.listeners.isEmpty() && channels.remove(channel.key, channel)) {
            // Sent after the SUBSCRIBE, on the same connection. If it fails (disconnected), the
            // message handler unsubscribes when a message for nobody comes.
            send(c -> c.async().unsubscribe(channel.name));
        }
    }

    private CompletableFuture<Void> send(
            Function<StatefulRedisPubSubConnection<byte[], byte[]>, CompletionStage<Void>> command) {
        return connection.get().thenCompose(command);
    }

    /** On Lettuce's I/O thread, in the order Redis sent them. */
    @Override
    public void message(byte[] channelName, byte[] payload) {
        String key = new String(channelName, StandardCharsets.UTF_8);
        Channel channel = channels.get(key);
        if (channel == null) {
            leftOver(key, channelName);
            return;
        }
        List<Listener> listeners = List.copyOf(channel.listeners);
        try {
            deliveries.execute(() -> deliver(listeners, payload));
        } catch (RejectedExecutionException e) {
            LOG.debug("message on {} dropped: the worker is stopping", key);
        }
    }

    private static void deliver(List<Listener> listeners, byte[] payload) {
        for (int i = 0; i < listeners.size(); i++) {
            Listener listener = listeners.get(i);
            if (listener.closed) {
                continue;
            }
            // Each listener gets its own bytes: one that changes them does not change another's.
            byte[] bytes = i == listeners.size() - 1 ? payload : payload.clone();
            try {
                listener.consumer.accept(new ChannelMessage(listener.channel.key, bytes));
            } catch (Exception e) {
                LOG.warn("a listener of channel {} failed", listener.channel.key, e);
            }
        }
    }

    /**
     * A message for a channel nobody listens to any more: its UNSUBSCRIBE was rejected while
     * the connection was down, and Lettuce subscribed again when it came back.
     */
    private synchronized void leftOver(String key, byte[] name) {
        if (!channels.containsKey(key)) {
            send(c -> c.async().unsubscribe(name));
        }
    }

    /** One subscribed channel and its listeners in this worker. */
    private static final class Channel {
        final String key;
        final byte[] name;
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        /** Completes when Redis confirmed the SUBSCRIBE. */
        CompletableFuture<Void> subscribed;

        Channel(String key, byte[] name) {
            this.key = key;
            this.name = name;
        }
    }

    private final class Listener implements Subscription {
        final Channel channel;
        final Consumer<ChannelMessage> consumer;
        volatile boolean closed;

        Listener(Channel channel, Consumer<ChannelMessage> consumer) {
            this.channel = channel;
            this.consumer = consumer;
        }

        @Override
        public String channel() {
            return channel.key;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                unsubscribe(this);
            }
        }
    }
}
