package dev.herd.http;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

/**
 * A connection the master accepted on a listening socket, to be handed to a worker as a
 * descriptor. The channel is never registered with an event loop, so nothing in the master
 * reads from it (see ListenSocket). The master closes its copy once the worker has taken the
 * connection; it lives on in the worker.
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
        // Unregistered: the pipeline's close needs an event loop; closing the socket is all there is.
        channel.unsafe().closeForcibly();
    }

    @Override
    public String toString() {
        return String.valueOf(channel.remoteAddress());
    }
}
