package dev.herd.servlet;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Turns descriptors the master handed over into the {@code java.nio} channels Jetty takes.
 *
 * <p>The JDK has no public way to wrap a descriptor in a channel: {@code System.inheritedChannel()}
 * does it once, for descriptor 0, and caches the result, which serves neither several listeners
 * nor a stream of handed-over connections. So this calls the constructors that
 * {@code inheritedChannel()} itself relies on, in {@code sun.nio.ch}: the worker of a servlet app
 * starts with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (as the loop scheduler opens
 * {@code java.lang}). The alternative, {@code dup2} of each descriptor onto 0 through FFM, works
 * for one descriptor at a time only and would still leave {@code inheritedChannel()}'s cache in
 * the way. When a JDK moves these constructors, {@link #check} fails the worker's boot with the
 * reason rather than failing the first connection.
 */
final class HandedOverChannels {

    private final Method newFd;
    private final Constructor<?> serverChannel;
    private final Constructor<?> socketChannel;

    private HandedOverChannels(Method newFd, Constructor<?> serverChannel, Constructor<?> socketChannel) {
        this.newFd = newFd;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    /** The JDK's constructors, or an exception saying why they cannot be reached. */
    static HandedOverChannels check() throws IOException {
        try {
            Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
            Method newFd = ioUtil.getDeclaredMethod("newFD", int.class);
            newFd.setAccessible(true);
            Constructor<?> server = Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredConstructor(
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
            server.setAccessible(true);
            Constructor<?> socket = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredConstructor(
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, SocketAddress.class);
            socket.setAccessible(true);
            return new HandedOverChannels(newFd, server, socket);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("this JDK does not let herd wrap the master's sockets in channels for Jetty"
                    + " (sun.nio.ch, opened with --add-opens java.base/sun.nio.ch=ALL-UNNAMED): " + e, e);
        }
    }

    /** The listening socket behind {@code fd}, already bound and listening. */
    ServerSocketChannel listening(int fd) throws IOException {
        InetSocketAddress local = new io.netty.channel.unix.Socket(fd).localAddress();
        try {
            return (ServerSocketChannel) serverChannel.newInstance(SelectorProvider.provider(), family(local),
                    newFd.invoke(null, fd), true);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot wrap listening descriptor " + fd + ": " + e, e);
        }
    }

    /** The accepted connection behind {@code fd}. */
    SocketChannel connected(int fd) throws IOException {
        InetSocketAddress remote = new io.netty.channel.unix.Socket(fd).remoteAddress();
        try {
            return (SocketChannel) socketChannel.newInstance(SelectorProvider.provider(), family(remote),
                    newFd.invoke(null, fd), remote);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot wrap connection descriptor " + fd + ": " + e, e);
        }
    }

    private static ProtocolFamily family(InetSocketAddress address) {
        return address != null && address.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }
}
