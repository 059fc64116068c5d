package dev.herd.ipc;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One end of a master-worker control connection. Thread-safe: writes are handed to the
 * connection's event loop.
 */
public final class ControlConnection {

    private final Channel channel;

    ControlConnection(Channel channel) {
        this.channel = channel;
    }

    public void send(Message message) {
        channel.writeAndFlush(message);
    }

    /** Sends each descriptor with SCM_RIGHTS; the peer must be reading descriptors. */
    public void sendDescriptors(int[] fds) {
        for (int fd : fds) {
            channel.write(new FileDescriptor(fd));
        }
        channel.flush();
    }

    /**
     * Sends one descriptor; {@code done} learns, on the connection's event loop, whether the
     * kernel took it (after which the sender may close its own copy).
     */
    public void sendDescriptor(int fd, Consumer<Boolean> done) {
        channel.writeAndFlush(new FileDescriptor(fd)).addListener(sent -> done.accept(sent.isSuccess()));
    }

    /** The pid of the process at the other end, from the kernel (SO_PEERCRED); -1 if unknown. */
    public long peerPid() {
        try {
            return ((EpollDomainSocketChannel) channel).peerCredentials().pid();
        } catch (IOException | ClassCastException e) {
            return -1;
        }
    }

    /** Half-closes: the peer reads what was sent, then the end; this side still reads. */
    public void shutdownOutput() {
        if (channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            channel.close();
        }
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "control connection " + channel.id().asShortText();
    }
}
