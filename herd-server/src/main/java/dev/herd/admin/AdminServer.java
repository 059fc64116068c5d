package dev.herd.admin;

import dev.herd.config.BindAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The master's admin listener ({@code --admin-bind}): a small HTTP/1.1 server on the master's I/O
 * loop, so it answers while every worker is busy, booting or gone. Requests are small and rare
 * (a scraper every few seconds, probes); the answers are made on the master's thread.
 */
public final class AdminServer {

    /** An admin request has no body worth having; anything bigger is refused. */
    private static final int MAX_REQUEST = 8192;

    private final Channel channel;
    private final BindAddress address;

    private AdminServer(Channel channel, BindAddress address) {
        this.channel = channel;
        this.address = address;
    }

    /**
     * Binds {@code address} and serves it on {@code loop}.
     *
     * @param token the bearer token every request must carry; empty for none (loopback only,
     *              which the configuration enforces)
     */
    public static AdminServer start(EventLoopGroup loop, BindAddress address, String token, boolean openHealth,
                                    AdminBackend backend) throws IOException {
        AdminHandler handler = new AdminHandler(backend, token, openHealth);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop)
                .channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_REQUEST), handler);
                    }
                });
        try {
            Channel channel = bootstrap.bind(address.host(), address.port()).sync().channel();
            int port = ((InetSocketAddress) channel.localAddress()).getPort();
            return new AdminServer(channel, address.withPort(port));
        } catch (Exception e) {
            throw new IOException("cannot serve the admin listener on " + address + ": " + e.getMessage(), e);
        }
    }

    /** Where it listens, with the real port. */
    public BindAddress address() {
        return address;
    }

    public void close() {
        channel.close().syncUninterruptibly();
    }
}
