package dev.herd.ipc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The master's end of the control socket: a unix domain socket that workers (and later the
 * control CLI) connect to. The socket file is 0600 inside a 0700 directory, so only the user
 * running herd can reach it.
 */
public final class ControlServer {

    /** What the master learns from its control connections. Called on an event loop: never blocks. */
    public interface Listener {
        void received(ControlConnection connection, Message message);

        void disconnected(ControlConnection connection);
    }

    private static final AttributeKey<ControlConnection> CONNECTION = AttributeKey.valueOf("herd.control");
    private static final int OWN_UID = ControlSocketLocation.uid();

    private final Path socketPath;
    private final Channel channel;

    private ControlServer(Path socketPath, Channel channel) {
        this.socketPath = socketPath;
        this.channel = channel;
    }

    /** Binds {@code socketPath} (its directory must already be private) and starts serving. */
    public static ControlServer start(EventLoopGroup group, Path socketPath, Listener listener)
            throws IOException, InterruptedException {
        Files.deleteIfExists(socketPath);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ControlConnection connection = new ControlConnection(ch);
                        ch.attr(CONNECTION).set(connection);
                        ch.pipeline().addLast(new MessageChannelCodec(), new Dispatcher(listener));
                    }
                });
        Channel channel = bootstrap.bind(new DomainSocketAddress(socketPath.toFile())).sync().channel();
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        return new ControlServer(socketPath, channel);
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Stops listening and removes the socket file. Open connections are left to their owners. */
    public void close() {
        channel.close().syncUninterruptibly();
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // The private directory is removed next; nothing else can use the file.
        }
    }

    private static final class Dispatcher extends SimpleChannelInboundHandler<Message> {
        private final Listener listener;

        Dispatcher(Listener listener) {
            this.listener = listener;
        }

        /**
         * Defence in depth behind the 0600 socket in a 0700 directory: a peer running as another
         * user (root aside, which can do anything anyway) is refused.
         */
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel() instanceof EpollDomainSocketChannel peer) {
                int uid = peer.peerCredentials().uid();
                if (uid != OWN_UID && uid != 0) {
                    ctx.close();
                    return;
                }
            }
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Message message) {
            listener.received(ctx.channel().attr(CONNECTION).get(), message);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            listener.disconnected(ctx.channel().attr(CONNECTION).get());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A peer that speaks garbage loses its connection; the master goes on.
            ctx.close();
        }
    }
}
