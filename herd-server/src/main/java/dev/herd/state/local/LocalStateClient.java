package dev.herd.state.local;

import dev.herd.api.state.AsyncSharedState;
import dev.herd.api.state.ChannelMessage;
import dev.herd.api.state.StateException;
import dev.herd.api.state.StateLimits;
import dev.herd.api.state.StateUnavailableException;
import dev.herd.api.state.Subscription;
import dev.herd.state.StateBackend;
import dev.herd.state.StateOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A worker's end of {@code --state local}: one connection to the master's store, shared by every
 * thread of the worker. Commands from any thread are queued and written by the connection's event
 * loop in one write per turn, so concurrent callers pipeline on one socket; replies come back in
 * order and complete their callers' stages on that loop.
 *
 * <p>The master answers in microseconds or is gone (and then this worker exits with it), so a
 * call that waits past {@code --state-timeout} fails with {@link StateUnavailableException} and a
 * sweep every 100 ms finds such calls.
 */
public final class LocalStateClient implements AsyncSharedState, StateBackend {

    private record Pending(CompletableFuture<Object> future, long sentNanos) {
    }

    private final EventLoopGroup loop;
    private final Channel channel;
    private final StateOptions options;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<ChannelMessage>>> listeners = new ConcurrentHashMap<>();
    private final Queue<ByteBuf> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    private LocalStateClient(EventLoopGroup loop, Channel channel, StateOptions options) {
        this.loop = loop;
        this.channel = channel;
        this.options = options;
    }

    /** Connects to the master's state socket, at boot. */
    public static LocalStateClient connect(Path socket, StateOptions options) throws InterruptedException {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("herd-state", true),
                EpollIoHandler.newFactory());
        LocalStateClient[] client = new LocalStateClient[1];
        try {
            Channel channel = new Bootstrap()
                    .group(loop)
                    .channel(EpollDomainSocketChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(
                                    new LengthFieldBasedFrameDecoder(StateProtocol.MAX_FRAME, 0, 4, 0, 4),
                                    new Replies(() -> client[0]));
                        }
                    })
                    .connect(new DomainSocketAddress(socket.toFile())).sync().channel();
            client[0] = new LocalStateClient(loop, channel, options);
        } catch (InterruptedException | RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        long timeoutNanos = options.timeout().toNanos();
        loop.scheduleAtFixedRate(() -> client[0].failOverdue(timeoutNanos), 100, 100, TimeUnit.MILLISECONDS);
        return client[0];
    }

    @Override
    public AsyncSharedState async() {
        return this;
    }

    @Override
    public String describe() {
        return "local";
    }

    // ---- commands -------------------------------------------------------------------------------

    @Override
    public CompletionStage<Optional<byte[]>> get(String key) {
        return send(StateProtocol.GET, StateLimits.key(key), null, null, 0);
    }

    @Override
    public CompletionStage<Void> put(String key, byte[] value, Duration ttl) {
        return send(StateProtocol.PUT, StateLimits.key(key), StateLimits.value(value), null, StateLimits.ttlMillis(ttl));
    }

    @Override
    public CompletionStage<Boolean> putIfAbsent(String key, byte[] value, Duration ttl) {
        return send(StateProtocol.PUT_IF_ABSENT, StateLimits.key(key), StateLimits.value(value), null,
                StateLimits.ttlMillis(ttl));
    }

    @Override
    public CompletionStage<Boolean> compareAndSet(String key, byte[] expected, byte[] update, Duration ttl) {
        return send(StateProtocol.COMPARE_AND_SET, StateLimits.key(key),
                expected == null ? null : StateLimits.value(expected),
                update == null ? null : StateLimits.value(update), StateLimits.ttlMillis(ttl));
    }

    @Override
    public CompletionStage<Long> increment(String key, long delta) {
        return send(StateProtocol.INCREMENT, StateLimits.key(key), null, null, delta);
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        return send(StateProtocol.DELETE, StateLimits.key(key), null, null, 0);
    }

    @Override
    public CompletionStage<Boolean> expire(String key, Duration ttl) {
        if (ttl == null) {
            throw new IllegalArgumentException("expire needs a time to live");
        }
        return send(StateProtocol.EXPIRE, StateLimits.key(key), null, null, StateLimits.ttlMillis(ttl));
    }

    @Override
    public CompletionStage<List<String>> keys(String prefix) {
        return send(StateProtocol.KEYS, StateLimits.prefix(prefix), null, null, 0);
    }

    @Override
    public CompletionStage<Long> publish(String channelName, byte[] message) {
        return send(StateProtocol.PUBLISH, StateLimits.key(channelName), StateLimits.value(message), null, 0);
    }

    @Override
    public CompletionStage<Subscription> subscribe(String channelName, Consumer<ChannelMessage> listener) {
        byte[] name = StateLimits.key(channelName);
        List<Consumer<ChannelMessage>> list = listeners.computeIfAbsent(channelName, c -> new CopyOnWriteArrayList<>());
        list.add(listener);
        Subscription subscription = new Subscription() {
            @Override
            public String channel() {
                return channelName;
            }

            @Override
            public void close() {
                List<Consumer<ChannelMessage>> current = listeners.get(channelName);
                if (current != null && current.remove(listener) && current.isEmpty()) {
                    listeners.remove(channelName, current);
                    send(StateProtocol.UNSUBSCRIBE, name, null, null, 0);
                }
            }
        };
        // Subscribing again to a channel this worker already hears costs the master nothing.
        return this.<Void>send(StateProtocol.SUBSCRIBE, name, null, null, 0).thenApply(x -> subscription);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletionStage<T> send(byte op, byte[] key, byte[] a, byte[] b, long n) {
        int id = ids.incrementAndGet();
        if (id == 0) {
            id = ids.incrementAndGet(); // 0 marks a published message
        }
        CompletableFuture<Object> future = new CompletableFuture<>();
        if (!channel.isActive()) {
            future.completeExceptionally(gone());
            return (CompletionStage<T>) (CompletionStage<?>) future;
        }
        pending.put(id, new Pending(future, System.nanoTime()));
        ByteBuf frame = channel.alloc().buffer(16 + key.length + (a == null ? 0 : a.length + 4)
                + (b == null ? 0 : b.length + 4));
        StateProtocol.writeCommand(frame, op, id, key, a, b, n);
        outbox.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
        return (CompletionStage<T>) (CompletionStage<?>) future;
    }

    /**
     * Writes every queued command and flushes once. Callers on many threads queue commands and
     * only the first after a drain asks the event loop for another: under load one task and one
     * write carry many commands. A failed write closes the connection, which fails every pending call.
     */
    private void drain() {
        drainScheduled.set(false); // before polling: a command queued from now on is taken here or schedules the next drain
        int written = 0;
        for (ByteBuf frame; (frame = outbox.poll()) != null; written++) {
            channel.write(frame, channel.voidPromise());
        }
        if (written > 0) {
            channel.flush();
        }
    }

    private StateUnavailableException gone() {
        return new StateUnavailableException("the master's shared state is unreachable (the connection closed)");
    }

    private void failOverdue(long timeoutNanos) {
        long now = System.nanoTime();
        pending.entrySet().removeIf(entry -> {
            if (now - entry.getValue().sentNanos() > timeoutNanos) {
                entry.getValue().future().completeExceptionally(new StateUnavailableException(
                        "the master's shared state did not answer within " + (timeoutNanos / 1_000_000) + " ms"));
                return true;
            }
            return false;
        });
    }

    // ---- replies --------------------------------------------------------------------------------

    private void reply(ByteBuf frame) {
        byte kind = frame.readByte();
        int id = frame.readInt();
        if (kind == StateProtocol.MESSAGE) {
            String channelName = StateProtocol.readKey(frame, false);
            byte[] payload = StateProtocol.readValue(frame);
            deliver(new ChannelMessage(channelName, payload));
            return;
        }
        Pending waiting = pending.remove(id);
        if (waiting == null) {
            return; // timed out already
        }
        CompletableFuture<Object> future = waiting.future();
        switch (kind) {
            case StateProtocol.VALUE -> future.complete(Optional.of(StateProtocol.readValue(frame)));
            case StateProtocol.NONE -> future.complete(Optional.empty());
            case StateProtocol.BOOL -> future.complete(frame.readByte() != 0);
            case StateProtocol.LONG -> future.complete(frame.readLong());
            case StateProtocol.DONE -> future.complete(null);
            case StateProtocol.KEY_LIST -> {
                int count = frame.readInt();
                List<String> keys = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    keys.add(StateProtocol.readKey(frame, false));
                }
                future.complete(keys);
            }
            case StateProtocol.ERROR -> future.completeExceptionally(
                    new StateException(new String(StateProtocol.readValue(frame), StandardCharsets.UTF_8)));
            default -> future.completeExceptionally(new StateException("unknown reply " + kind));
        }
    }

    private void deliver(ChannelMessage message) {
        List<Consumer<ChannelMessage>> list = listeners.get(message.channel());
        if (list == null) {
            return;
        }
        options.deliveries().execute(() -> {
            for (Consumer<ChannelMessage> listener : list) {
                try {
                    listener.accept(message);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(LocalStateClient.class)
                            .warn("a subscriber of {} failed on a message", message.channel(), e);
                }
            }
        });
    }

    private void closed() {
        pending.values().forEach(p -> p.future().completeExceptionally(gone()));
        pending.clear();
    }

    @Override
    public void close() {
        channel.close();
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private static final class Replies extends SimpleChannelInboundHandler<ByteBuf> {
        private final java.util.function.Supplier<LocalStateClient> client;

        Replies(java.util.function.Supplier<LocalStateClient> client) {
            this.client = client;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            client.get().reply(frame);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            LocalStateClient c = client.get();
            if (c != null) {
                c.closed();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
