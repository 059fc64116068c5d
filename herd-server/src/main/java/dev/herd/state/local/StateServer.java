package dev.herd.state.local;

import dev.herd.api.state.StateException;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The master's side of {@code --state local}: the {@link StateStore} and the unix socket the
 * workers reach it on (0600, beside the control socket in its 0700 directory). One thread runs
 * the socket and the store, so commands apply one at a time, in arrival order per connection.
 * Replies to a batch of commands go out together, after the batch's changes are in the state file.
 *
 * <p>A connection that sends something out of shape is closed and logged; the store, the other
 * workers and the master go on. A worker that dies loses nothing: the store is here.
 */
public final class StateServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateServer.class);
    private static final int OWN_UID = uid();
    private static final int FLUSH_BYTES = 256 * 1024;
    /** The master's heap beside the store: workers, control traffic, Netty's buffers. */
    static final long HEAP_FOR_THE_REST = 64L << 20;

    private final EventLoopGroup loop;
    private final StateStore store;
    private final StateFile file;
    private final Path socketPath;
    private final Map<String, Set<Channel>> subscribers = new HashMap<>();
    private final Set<Channel> connections = new LinkedHashSet<>();
    private Channel server;
    private volatile StateStats stats;

    private StateServer(EventLoopGroup loop, StateStore store, StateFile file, Path socketPath) {
        this.loop = loop;
        this.store = store;
        this.file = file;
        this.socketPath = socketPath;
    }

    /**
     * What the master's heap cannot hold, or null: a full store of {@code maxBytes} (counted as
     * {@link StateStore} counts, which leaves out some of Java's own overhead: half as much again is
     * allowed for it) beside {@link #HEAP_FOR_THE_REST} for everything else the master keeps.
     */
    public static String heapShortfall(long maxBytes, long maxHeap) {
        long needed = maxBytes + maxBytes / 2 + HEAP_FOR_THE_REST;
        if (needed <= maxHeap) {
            return null;
        }
        long suggestMiB = ((needed + (1 << 20) - 1) >> 20) + 1;
        return "--state-max-bytes " + (maxBytes >> 20) + "m does not fit the master's heap of " + (maxHeap >> 20)
                + " MiB (a full store needs about " + suggestMiB + " MiB): lower it, or start herd with"
                + " HERD_MASTER_JAVA_OPTS=-Xmx" + suggestMiB + "m";
    }

    /** Where the workers of the master whose control socket is {@code controlSocket} find the store. */
    public static Path socketFor(Path controlSocket) {
        String name = controlSocket.getFileName().toString();
        String base = name.endsWith(".sock") ? name.substring(0, name.length() - 5) : name;
        return controlSocket.resolveSibling(base + "-state.sock");
    }

    /**
     * Reads the state file (when there is one) and starts serving.
     *
     * @throws StateFileException the state file is damaged; nothing was started
     */
    public static StateServer start(Config config, Path controlSocket) throws StateFileException, IOException,
            InterruptedException {
        StateStore store = new StateStore(config.get(Settings.STATE_MAX_BYTES), System::currentTimeMillis);
        String filePath = config.get(Settings.STATE_FILE);
        StateFile file = filePath.isBlank() ? null
                : StateFile.open(Path.of(filePath).toAbsolutePath(), config.get(Settings.STATE_FSYNC), store);
        if (file != null) {
            log.info("state file {}: {} keys, {} bytes", file.path(), store.keyCount(), file.size());
        }
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("herd-state", true),
                EpollIoHandler.newFactory());
        StateServer server = new StateServer(loop, store, file, socketFor(controlSocket));
        try {
            server.bind();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind() throws IOException, InterruptedException {
        Files.deleteIfExists(socketPath);
        server = new ServerBootstrap()
                .group(loop)
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new LengthFieldBasedFrameDecoder(StateProtocol.MAX_FRAME, 0, 4, 0, 4),
                                new Connection());
                    }
                })
                .bind(new DomainSocketAddress(socketPath.toFile())).sync().channel();
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        loop.scheduleAtFixedRate(this::sweep, 100, 100, TimeUnit.MILLISECONDS);
        loop.scheduleAtFixedRate(this::everySecond, 1, 1, TimeUnit.SECONDS);
        loop.execute(this::updateStats);
    }

    public Path socketPath() {
        return socketPath;
    }

    /** The latest figures (refreshed every 100 ms). */
    public StateStats stats() {
        return stats;
    }

    public String describe() {
        return "local" + (file == null ? "" : ", file " + file.path());
    }

    // ---- on the state thread ----------------------------------------------------------------

    private void sweep() {
        store.sweep();
        updateStats();
    }

    private void everySecond() {
        if (file == null) {
            return;
        }
        try {
            file.tick();
            if (file.compactIfDue(store)) {
                log.info("state file {} compacted to {} bytes ({} keys)", file.path(), file.size(), store.keyCount());
            }
        } catch (IOException | RuntimeException e) {
            log.error("state file {}: {}", file.path(), e.getMessage());
        }
    }

    private void updateStats() {
        stats = new StateStats(store.keyCount(), store.bytes(), store.maxBytes(), store.evictions(),
                store.expirations(), connections.size(), file == null ? -1 : file.size(),
                file == null ? 0 : file.compactions());
    }

    /** Runs one command and appends its reply to {@code out}, the batch's replies. */
    private void execute(ChannelHandlerContext ctx, Command command, ByteBuf out) {
        int id = command.id();
        int start = out.writerIndex();
        try {
            switch (command) {
                case Command.Get(int i, String key) -> StateProtocol.writeValue(out, i, store.get(key).orElse(null));
                case Command.Put(int i, String key, byte[] value, long ttl) -> {
                    store.put(key, value, ttl);
                    StateProtocol.writeDone(out, i);
                }
                case Command.PutIfAbsent(int i, String key, byte[] value, long ttl) ->
                        StateProtocol.writeBool(out, i, store.putIfAbsent(key, value, ttl));
                case Command.CompareAndSet(int i, String key, byte[] expected, byte[] update, long ttl) ->
                        StateProtocol.writeBool(out, i, store.compareAndSet(key, expected, update, ttl));
                case Command.Increment(int i, String key, long delta) ->
                        StateProtocol.writeLong(out, i, store.increment(key, delta));
                case Command.Delete(int i, String key) -> StateProtocol.writeBool(out, i, store.delete(key));
                case Command.Expire(int i, String key, long ttl) -> StateProtocol.writeBool(out, i, store.expire(key, ttl));
                case Command.Keys(int i, String prefix) -> StateProtocol.writeKeys(out, i, store.keys(prefix));
                case Command.Publish(int i, String channel, byte[] payload) ->
                        StateProtocol.writeLong(out, i, publish(channel, payload));
                case Command.Subscribe(int i, String channel) -> {
                    subscribers.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(ctx.channel());
                    StateProtocol.writeDone(out, i);
                }
                case Command.Unsubscribe(int i, String channel) -> {
                    unsubscribe(channel, ctx.channel());
                    StateProtocol.writeDone(out, i);
                }
            }
        } catch (StateException e) {
            out.writerIndex(start);
            StateProtocol.writeError(out, id, e.getMessage());
        }
    }

    private long publish(String channel, byte[] payload) {
        Set<Channel> targets = subscribers.get(channel);
        if (targets == null) {
            return 0;
        }
        for (Channel target : targets) {
            ByteBuf message = target.alloc().buffer(payload.length + channel.length() + 16);
            StateProtocol.writeMessage(message, channel, payload);
            target.writeAndFlush(message, target.voidPromise());
        }
        return targets.size();
    }

    private void unsubscribe(String channel, Channel connection) {
        Set<Channel> targets = subscribers.get(channel);
        if (targets != null && targets.remove(connection) && targets.isEmpty()) {
            subscribers.remove(channel);
        }
    }

    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
        /** The replies of the commands read since the last flush: one buffer, one write. */
        private ByteBuf replies;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            // Behind the 0600 socket in a 0700 directory, as the control socket: another user is refused.
            if (ctx.channel() instanceof EpollDomainSocketChannel peer) {
                int uid = peer.peerCredentials().uid();
                if (uid != OWN_UID && uid != 0) {
                    ctx.close();
                    return;
                }
            }
            connections.add(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (replies == null) {
                replies = ctx.alloc().buffer(4096);
            }
            execute(ctx, StateProtocol.readCommand(frame), replies);
            if (replies.readableBytes() >= FLUSH_BYTES) {
                flushBatch(ctx); // large values: do not hold a whole read's worth of them
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flushBatch(ctx);
        }

        /** The batch's changes reach the file before anyone hears they were made. */
        private void flushBatch(ChannelHandlerContext ctx) {
            if (file != null) {
                try {
                    file.flush();
                } catch (RuntimeException e) {
                    // The store in memory is right; the file is behind. Said loudly, and again at each batch.
                    log.error("{}", e.getMessage());
                }
            }
            if (replies != null) {
                ctx.write(replies, ctx.voidPromise());
                replies = null;
            }
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (replies != null) {
                replies.release();
                replies = null;
            }
            connections.remove(ctx.channel());
            subscribers.values().forEach(set -> set.remove(ctx.channel()));
            subscribers.values().removeIf(Set::isEmpty);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            long pid = -1;
            if (ctx.channel() instanceof EpollDomainSocketChannel peer) {
                try {
                    pid = peer.peerCredentials().pid();
                } catch (IOException ignored) {
                    // the pid is only for the log line
                }
            }
            log.warn("state socket: process {} sent what is not a state command ({}); disconnecting it",
                    pid, cause.getMessage() == null ? cause.toString() : cause.getMessage());
            ctx.close();
        }
    }

    /** Stops serving; the state file is flushed, forced and closed. Waits for the state thread. */
    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (file != null) {
            try {
                loop.submit(file::close).syncUninterruptibly();
            } catch (RuntimeException e) {
                log.error("{}", e.getMessage());
            }
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // the private directory goes with the master
        }
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
