package dev.herd.redis;

import dev.herd.api.state.AsyncSharedState;
import dev.herd.state.StateBackend;
import dev.herd.state.StateOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A worker's Redis: one Lettuce client with two connections, one for commands (all calls
 * pipeline on it) and one for pub/sub, made when first needed. Lettuce reconnects them when Redis
 * comes back, and subscribes again.
 */
final class RedisBackend implements StateBackend {

    /** Longest a worker's exit waits for the connections and threads to close. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    /**
     * A connection attempt gives up after this (or the state timeout, if shorter): a refused
     * connection fails at once anyway, and a host that does not answer should not hold calls long.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Commands sent and not yet answered, per connection; past that calls fail rather than queue. */
    static final int MAX_IN_FLIGHT = 100_000;

    private final RedisAddress address;
    private final ClientResources resources;
    private final RedisClient client;
    private final Reachability reachability;
    private final Disposable reconnectFailures;
    private final LazyConnection<StatefulRedisConnection<byte[], byte[]>> commands;
    private final Subscriptions subscriptions;
    private final RedisSharedState state;

    RedisBackend(RedisAddress address, StateOptions options) {
        this.address = address;
        Duration timeout = options.timeout();
        this.reachability = new Reachability(address.describe(), timeout);
        this.resources = DefaultClientResources.builder()
                // Lettuce's minimum; a worker's few connections need no more.
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Daemon threads, so that a worker JVM can exit even if close is never called.
                .threadFactoryProvider(pool -> new DefaultThreadFactory(pool.replace("lettuce-", "herd-redis-"), true))
                // Lettuce's default backs off to one attempt every 30 s; herd wants Redis back
                // within a second or so of its return.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(clientOptions(timeout));
        this.reconnectFailures = resources.eventBus().get()
                .ofType(ReconnectFailedEvent.class)
                .subscribe(event -> reachability.reconnectFailed(event.getCause()));

        RedisURI uri = address.toRedisUri(timeout);
        this.commands = new LazyConnection<>("commands",
                () -> client.connectAsync(ByteArrayCodec.INSTANCE, uri), reachability, resources.eventExecutorGroup(), timeout);
        this.subscriptions = new Subscriptions(() -> client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri),
                options.deliveries(), reachability, resources.eventExecutorGroup(), timeout);
        this.state = new RedisSharedState(commands, subscriptions, reachability);
        // The pub/sub connection waits for a first subscriber: most workers never have one.
        commands.start();
    }

    /**
     * Calls fail at once while Redis is unreachable (no unbounded buffering of commands for
     * later), each is timed out by Lettuce after the state timeout, and a lost connection is
     * made again in the background.
     */
    private static ClientOptions clientOptions(Duration timeout) {
        Duration connectTimeout = timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT;
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(MAX_IN_FLIGHT)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                // For Redis Enterprise's maintenance events: nothing herd uses, one command less per connection.
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build();
    }

    @Override
    public AsyncSharedState async() {
        return state;
    }

    @Override
    public String describe() {
        return address.describe();
    }

    /** Closes the connections, then Lettuce's threads, waiting at most {@link #CLOSE_WAIT} in all. */
    @Override
    public void close() {
        reachability.close();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            CompletableFuture.allOf(commands.close(), subscriptions.close()).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Closing anyway: the threads below go with them.
        }
        reconnectFailures.dispose();
        client.shutdown(Duration.ZERO, remaining(deadline));
        resources.shutdown(0, remaining(deadline).toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(remaining(deadline).toMillis());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
