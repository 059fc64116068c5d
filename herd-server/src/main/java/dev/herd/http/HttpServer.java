package dev.herd.http;

import dev.herd.metrics.HttpMetrics;
import dev.herd.config.BindAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A worker's HTTP server: Netty event loops serving HTTP/1.1 on connections they accept on
 * listening sockets the master handed over, or on connections the master accepted and handed
 * over one by one ({@code --balance least-busy}). Created by the worker; Netty types stay inside.
 */
public final class HttpServer {

    /**
     * Connections accepted per wake-up of a listening socket. Netty judges from the bytes read
     * whether to read on, which fails for accepts: it took one connection per loop turn, so on
     * a loop busy with handlers (async) the 64th connection of a burst waited 64 turns, over a
     * second. Not more, so that one worker does not take a whole burst.
     */
    static final int ACCEPTS_PER_WAKEUP = 16;
    /**
     * A connection's unsent output past which writers wait (and below which they go on). Netty's
     * 32-64 KiB would stop a streamed download after every 64 KiB chunk; four chunks in flight keep
     * the socket busy while the memory per connection stays small.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);

    private final EventLoopGroup loops;
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final ChannelGroup connections;
    private final ServerStats stats;
    private final AccessLog accessLog;
    private final HttpChannelInitializer initializer;

    private HttpServer(EventLoopGroup loops, ChannelGroup connections, ServerStats stats, AccessLog accessLog,
                       HttpChannelInitializer initializer) {
        this.loops = loops;
        this.connections = connections;
        this.stats = stats;
        this.accessLog = accessLog;
        this.initializer = initializer;
    }

    /**
     * Starts the event loops; connections come from {@link #listen} and {@link #adopt}.
     *
     * @param ioThreads number of event loops; they accept and do all socket I/O
     * @throws IOException when the access log cannot be opened
     */
    public static HttpServer start(int ioThreads, RequestDispatcher dispatcher, HttpOptions options)
            throws IOException {
        AccessLog accessLog = AccessLog.open(options.accessLog(), options.accessLogFormat());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("herd-loop"),
                EpollIoHandler.newFactory());
        ServerStats stats = new ServerStats(new RequestQueue(options.maxQueue(), options.queueTimeout()),
                new HttpMetrics(options.metrics()));
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        HttpChannelInitializer initializer = new HttpChannelInitializer(options, dispatcher, stats, accessLog,
                connections);
        return new HttpServer(loops, connections, stats, accessLog, initializer);
    }

    /**
     * Accepts on a listening socket the master handed over (registered from its descriptor,
     * never bound here).
     *
     * @param address what the descriptor listens on: a unix socket needs another channel class
     */
    public void listen(int fd, BindAddress address) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).childHandler(initializer)
                .option(ChannelOption.RECVBUF_ALLOCATOR, Reads.upTo(ACCEPTS_PER_WAKEUP))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        if (address.isUnix()) {
            // active=true: the socket already listens (the master bound it); Netty's one-argument
            // constructor takes it for an unbound socket and never accepts on it. Made from a
            // descriptor, the channel does not know the socket's path, so closing it (drain)
            // leaves the socket file to the master, which keeps serving on it.
            bootstrap.channelFactory(() -> new EpollServerDomainSocketChannel(fd, true));
        } else {
            bootstrap.channelFactory(() -> new EpollServerSocketChannel(fd))
                    .childOption(ChannelOption.TCP_NODELAY, true);
        }
        listeners.add(bootstrap.register().sync().channel());
    }

    /**
     * The event loops, for connections that should share their threads (the handoff connections:
     * a descriptor received on a loop is then adopted on that same loop, without a thread switch).
     */
    public EventLoopGroup eventLoops() {
        return loops;
    }

    /**
     * Serves a connection the master accepted and handed over as a descriptor: on the calling
     * event loop when called on one of this server's, else on the next. Any thread. A connection
     * adopted while draining still gets its answer (with {@code Connection: close}), since its
     * idle limit is then already the drain's.
     *
     * @param address the listener it was accepted on, which decides its channel class
     */
    public void adopt(int fd, BindAddress address) {
        Channel channel;
        if (address.isUnix()) {
            channel = new EpollDomainSocketChannel(fd);
        } else {
            EpollSocketChannel tcp = new EpollSocketChannel(fd);
            tcp.config().setTcpNoDelay(true);
            channel = tcp;
        }
        channel.config().setWriteBufferWaterMark(WATER_MARK);
        channel.pipeline().addLast(initializer);
        loopFor().register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                channel.unsafe().closeForcibly();
            }
        });
    }

    private EventLoop loopFor() {
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                return (EventLoop) loop;
            }
        }
        return loops.next();
    }

    /** Completes once every event loop has run a task: proof that none is stuck. */
    public CompletableFuture<Void> probeLoops() {
        List<CompletableFuture<Void>> probes = new ArrayList<>();
        for (EventExecutor loop : loops) {
            CompletableFuture<Void> probe = new CompletableFuture<>();
            loop.execute(() -> probe.complete(null));
            probes.add(probe);
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new));
    }

    /**
     * Starts a graceful stop: closes this worker's copies of the listening sockets (the sockets
     * stay open in the master, so queued connections wait for other workers), answers
     * in-flight and later requests with {@code Connection: close}, and closes connections that
     * stay idle for a second (or --keep-alive if shorter): not at once, since a client may be
     * sending its next request on an idle keep-alive connection right now.
     */
    public void drain() {
        stats.draining = true;
        stopAccepting();
        for (Channel connection : connections) {
            connection.pipeline().fireUserEventTriggered(HttpRequestChannelHandler.DRAIN);
        }
    }

    /**
     * Closes this worker's copies of the listening sockets: connections then queue for the other
     * workers (the master keeps the sockets). Connections already accepted are served as before.
     */
    public void stopAccepting() {
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
    }

    /** Waits until no connection is open, or {@code grace} passes; true when all closed. */
    public boolean awaitConnectionsClosed(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (stats.connections.get() > 0 || stats.inFlight.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public long requests() {
        return stats.requests.sum();
    }

    public int inFlight() {
        return stats.inFlight.get();
    }

    public int connections() {
        return stats.connections.get();
    }

    public HttpMetrics metrics() {
        return stats.metrics;
    }

    /** Responses streaming now: bodies the app writes and event streams. */
    public int streams() {
        return stats.streams.get();
    }

    /** WebSockets open now. */
    public int webSockets() {
        return stats.webSockets.get();
    }

    /** Reopens the access log file by its path (logrotate, USR1). Any thread; returns at once. */
    public void reopenLogs() {
        accessLog.reopen();
    }

    /** Closes every connection, stops the event loops, and writes out the access log. */
    public void shutdown() {
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        accessLog.close();
    }
}
