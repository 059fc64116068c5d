package dev.herd.http;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

/**
 * A connection the master accepted on a listening socket, not read from, to be handed to a
 * worker as a descriptor. Once the descriptor is sent (the kernel then holds its own reference)
 * the master closes its copy; the connection lives on in the worker.
 */
public final class AcceptedConnection {

    private final Channel channel;

    AcceptedConnection(Channel channel) {
        this.channel = channel;
    }

    /** The descriptor to send; valid until {@link #close}. */
    public int fd() {
        return ((UnixChannel) channel).fd().intValue();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the master's copy; the client sees nothing if a worker holds the connection. */
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return String.valueOf(channel.remoteAddress());
    }
}
