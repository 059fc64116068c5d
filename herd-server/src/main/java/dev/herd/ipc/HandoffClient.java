package dev.herd.ipc;

import dev.herd.http.Reads;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * A worker's handoff connection for one listener (see {@link Message}): it reads nothing but
 * the descriptors of connections the master accepted for this worker, and writes {@code Load}
 * reports, and confirms each descriptor with {@code Taken}. The master shuts its side when the
 * worker is to get no more connections; everything sent before that arrives first, so
 * {@link #closed()} completing means no connection is still on its way.
 */
public final class HandoffClient {

    /** A bound on one wake-up's work, so the loop still serves its connections during a burst. */
    private static final int MAX_DESCRIPTORS_PER_READ = 64;

    private final Channel channel;
    private final CompletableFuture<Void> closed;

    private HandoffClient(Channel channel, CompletableFuture<Void> closed) {
        this.channel = channel;
        this.closed = closed;
    }

    /**
     * Connects and introduces itself; {@code onConnection} gets each descriptor on the control
     * event loop and must not block.
     */
    public static HandoffClient connect(EventLoopGroup group, Path socketPath, long pid, int listener,
                                        IntConsumer onConnection) throws InterruptedException {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(EpollDomainSocketChannel.class)
                // Descriptors only, from the first byte: a descriptor arriving while the socket
                // reads bytes would be dropped by the kernel.
                .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                // Read every waiting descriptor per wake-up. By default Netty guesses from the bytes
                // read whether more may wait, a guess that fails for descriptors: it took one per
                // wake-up of the loop, so under a burst descriptors queued behind busy loop turns.
                .option(ChannelOption.RECVBUF_ALLOCATOR, Reads.upTo(MAX_DESCRIPTORS_PER_READ))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new MessageChannelCodec(), new Receiver(onConnection, closed));
                    }
                });
        Channel channel = bootstrap.connect(new DomainSocketAddress(socketPath.toFile())).sync().channel();
        channel.writeAndFlush(new Message.Handoff(pid, listener)).sync();
        return new HandoffClient(channel, closed);
    }

    public void send(Message.Load load) {
        channel.writeAndFlush(load);
    }

    /** Completes when the master has closed this connection (or the worker did). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public void close() {
        channel.close();
    }

    private static final class Receiver extends ChannelInboundHandlerAdapter {
        private final IntConsumer onConnection;
        private final CompletableFuture<Void> closed;

        Receiver(IntConsumer onConnection, CompletableFuture<Void> closed) {
            this.onConnection = onConnection;
            this.closed = closed;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FileDescriptor fd) {
                // Said before the connection is served, so the master never hands it to another
                // worker once this one may have read from it (see Message).
                ctx.writeAndFlush(new Message.Taken());
                onConnection.accept(fd.intValue());
            } else {
                throw new IllegalStateException("unexpected handoff input " + msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
