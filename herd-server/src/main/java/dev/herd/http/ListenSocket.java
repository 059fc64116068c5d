package dev.herd.http;

import dev.herd.config.BindAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;

import java.net.InetSocketAddress;

/**
 * A listening TCP socket bound by the master and never accepted on by it: auto-read is off, so
 * connections wait in the kernel's accept queue until a worker, holding a copy of the
 * descriptor, accepts them. Because that queue belongs to the socket and not to any worker, a
 * worker that dies or restarts loses no queued connection.
 */
public final class ListenSocket {

    private final Channel channel;
    private final BindAddress address;

    private ListenSocket(Channel channel, BindAddress address) {
        this.channel = channel;
        this.address = address;
    }

    /** Binds {@code requested}; throws with the OS reason when the address is taken or invalid. */
    public static ListenSocket bind(EventLoopGroup group, BindAddress requested, int backlog)
            throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter())
                .bind(requested.host(), requested.port())
                .sync()
                .channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        return new ListenSocket(channel, requested.withPort(port));
    }

    /**
     * Why the shared-socket design cannot run here (no Linux epoll), or {@code null} when it can.
     * Checked before anything is bound, so the user gets one clear line.
     */
    public static String unavailableReason() {
        if (Epoll.isAvailable()) {
            return null;
        }
        Throwable cause = Epoll.unavailabilityCause();
        return "herd needs Linux with epoll for its shared listening socket"
                + (cause == null ? "" : " (" + cause.getMessage() + ")");
    }

    /** The address with the real port. */
    public BindAddress address() {
        return address;
    }

    /** The descriptor to send to workers; valid until {@link #close}. */
    public int fd() {
        return ((EpollServerSocketChannel) channel).fd().intValue();
    }

    public void close() {
        channel.close().syncUninterruptibly();
    }
}
