package dev.herd.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A worker's HTTP server: Netty event loops accepting on listening sockets the master handed
 * over (registered from their descriptors, never bound here) and serving HTTP/1.1 on each
 * connection. Created by the worker once it has its descriptors; Netty types stay inside.
 */
public final class HttpServer {

    /** Limits on what a client may send; requests past them get 4xx and the worker lives. */
    public record Limits(int maxRequestLine, int maxHeaderBytes, int maxBodyBytes) {
        public static final Limits DEFAULT = new Limits(8190, 16384, 16 * 1024 * 1024);
    }

    private final EventLoopGroup loops;
    private final List<Channel> listeners;
    private final ChannelGroup connections;
    private final ServerStats stats;

    private HttpServer(EventLoopGroup loops, List<Channel> listeners, ChannelGroup connections, ServerStats stats) {
        this.loops = loops;
        this.listeners = listeners;
        this.connections = connections;
        this.stats = stats;
    }

    /**
     * Starts accepting on each listening descriptor.
     *
     * @param ioThreads number of event loops; they accept and do all socket I/O
     */
    public static HttpServer start(List<Integer> listenerFds, int ioThreads, RequestDispatcher dispatcher,
                                   Limits limits) throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("herd-loop"),
                EpollIoHandler.newFactory());
        ServerStats stats = new ServerStats();
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderBytes());
        ChannelInitializer<Channel> initializer = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                connections.add(ch);
                ch.pipeline().addLast("codec", new HttpServerCodec(decoderConfig))
                        .addLast("aggregator", new HttpObjectAggregator(limits.maxBodyBytes()))
                        .addLast("app", new HttpRequestChannelHandler(dispatcher, stats));
            }
        };
        List<Channel> listeners = new ArrayList<>();
        for (int fd : listenerFds) {
            Channel listener = new ServerBootstrap()
                    .group(loops)
                    .channelFactory(() -> new EpollServerSocketChannel(fd))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .register()
                    .sync()
                    .channel();
            listeners.add(listener);
        }
        return new HttpServer(loops, listeners, connections, stats);
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
     * in-flight requests with {@code Connection: close}, and closes idle connections.
     */
    public void drain() {
        stats.draining = true;
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        for (Channel connection : connections) {
            connection.pipeline().fireUserEventTriggered(HttpRequestChannelHandler.DRAIN);
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

    /** Closes every connection and stops the event loops. */
    public void shutdown() {
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
