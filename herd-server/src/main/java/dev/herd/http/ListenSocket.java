package dev.herd.http;

import dev.herd.config.BindAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.UnixChannel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A listening socket, TCP or unix, bound by the master and kept by it for its whole life.
 * Under the shared socket the master never accepts on it: workers, holding a copy of the
 * descriptor, accept from the kernel's queue, which belongs to the socket and not to any
 * worker, so a worker that dies or restarts loses no queued connection. When the master does
 * accept ({@link #acceptInto}), it only passes the connections on. A unix socket's file is
 * made with {@code --bind-mode} permissions and removed when the socket closes.
 */
public final class ListenSocket {

    private final Channel channel;
    private final BindAddress address;
    private final AcceptedChannelHandler accepted;
    /** False for a socket the service manager bound: its unix socket file is the manager's to remove. */
    private final boolean owned;

    private ListenSocket(Channel channel, BindAddress address, AcceptedChannelHandler accepted, boolean owned) {
        this.channel = channel;
        this.address = address;
        this.accepted = accepted;
        this.owned = owned;
    }

    /**
     * Takes over a socket that is already bound and listening at {@code fd} (passed by systemd, see
     * {@code dev.herd.systemd.SocketActivation}), made non-blocking by the caller. Closing it never
     * removes its unix socket file: systemd made it and keeps it for the next start.
     */
    public static ListenSocket adopt(EventLoopGroup group, int fd, BindAddress address) throws InterruptedException {
        AcceptedChannelHandler accepted = new AcceptedChannelHandler();
        Channel channel = address.isUnix() ? new EpollServerDomainSocketChannel(fd) : new EpollServerSocketChannel(fd);
        channel.config().setAutoRead(false);
        channel.config().setRecvByteBufAllocator(Reads.upTo(HttpServer.ACCEPTS_PER_WAKEUP));
        channel.pipeline().addLast(accepted);
        group.register(channel).sync();
        return new ListenSocket(channel, address, accepted, false);
    }

    /**
     * Binds {@code requested}; throws with the OS reason when the address is taken or invalid.
     *
     * @param backlog  length of the kernel's accept queue
     * @param unixMode permissions of a unix socket's file, in octal (e.g. {@code 0660}); unused for TCP
     */
    public static ListenSocket bind(EventLoopGroup group, BindAddress requested, int backlog, String unixMode)
            throws InterruptedException, IOException {
        return bind(group, requested, backlog, unixMode, false);
    }

    /**
     * Binds as {@link #bind(EventLoopGroup, BindAddress, int, String)}, with SO_REUSEPORT when
     * {@code reusePort}: several sockets of the same user may then listen on one TCP address,
     * each with its own accept queue, and the kernel spreads new connections over them by hash.
     */
    public static ListenSocket bind(EventLoopGroup group, BindAddress requested, int backlog, String unixMode,
                                    boolean reusePort) throws InterruptedException, IOException {
        AcceptedChannelHandler accepted = new AcceptedChannelHandler();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.RECVBUF_ALLOCATOR, Reads.upTo(HttpServer.ACCEPTS_PER_WAKEUP))
                // Sees each accepted connection before ServerBootstrap's acceptor would register it.
                .handler(accepted)
                .childHandler(new ChannelInboundHandlerAdapter());
        if (requested.isUnix()) {
            Path file = Path.of(requested.path());
            removeStaleSocket(file);
            Channel channel = bootstrap.channel(EpollServerDomainSocketChannel.class)
                    .bind(new DomainSocketAddress(file.toString())).sync().channel();
            try {
                Files.setPosixFilePermissions(file, permissions(unixMode));
            } catch (IOException | RuntimeException e) {
                channel.close().syncUninterruptibly();
                throw e;
            }
            return new ListenSocket(channel, requested, accepted, true);
        }
        Channel channel = bootstrap.channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(EpollChannelOption.SO_REUSEPORT, reusePort)
                .bind(requested.host(), requested.port())
                .sync()
                .channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        return new ListenSocket(channel, requested.withPort(port), accepted, true);
    }

    /**
     * A socket file left behind by a server that was killed would make bind fail; it is removed
     * when nothing accepts on it any more. A live socket (another server) or a file that is not
     * a socket is left alone, and the bind fails with a clear reason.
     */
    private static void removeStaleSocket(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException absent) {
            return;
        }
        if (!attributes.isOther()) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(file));
            throw new IOException("another server is listening on " + file);
        } catch (ConnectException stale) {
            Files.deleteIfExists(file);
        }
    }

    private static Set<PosixFilePermission> permissions(String octalMode) {
        int mode = Integer.parseInt(octalMode, 8);
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
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
        return ((UnixChannel) channel).fd().intValue();
    }

    /**
     * From now on connections accepted here go to {@code sink}, on the event loop this socket
     * belongs to, while accepting is on ({@link #accepting}); it is off until then.
     */
    public void acceptInto(Consumer<AcceptedConnection> sink) {
        accepted.sink = sink;
    }

    /**
     * Turns accepting on or off. Off, connections wait in the kernel's queue (up to the backlog),
     * which is where they are safest while no worker can take them.
     */
    public void accepting(boolean on) {
        if (channel.config().isAutoRead() != on) {
            channel.config().setAutoRead(on);
        }
    }

    /** Whether herd bound it (false: inherited from the service manager). */
    public boolean owned() {
        return owned;
    }

    /** Closes the socket; the file of a unix socket herd bound goes with it. */
    public void close() {
        channel.close().syncUninterruptibly();
        if (owned && address.isUnix()) {
            try {
                Files.deleteIfExists(Path.of(address.path()));
            } catch (IOException ignored) {
                // Netty's close already tried; nothing more to do.
            }
        }
    }

    /**
     * Passes each accepted connection to the sink, or closes it without one (never asked to
     * accept). It does not pass them on: a connection the master accepts is never registered
     * with its event loop, because a registered socket can be read. Netty reads on a peer's
     * half-close (EPOLLRDHUP) whatever the channel's auto-read, and an epoll event still queued
     * for a descriptor the master just closed is delivered to the next connection accepted on
     * the same number; either way the master would swallow a request that the worker it was
     * handed to then waits for.
     */
    @ChannelHandler.Sharable
    private static final class AcceptedChannelHandler extends ChannelInboundHandlerAdapter {
        private volatile Consumer<AcceptedConnection> sink;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel connection = (Channel) msg;
            Consumer<AcceptedConnection> to = sink;
            if (to == null) {
                connection.unsafe().closeForcibly();
            } else {
                to.accept(new AcceptedConnection(connection));
            }
        }
    }
}
