package dev.herd.ipc;

import io.netty.channel.Channel;
import io.netty.channel.unix.FileDescriptor;

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
