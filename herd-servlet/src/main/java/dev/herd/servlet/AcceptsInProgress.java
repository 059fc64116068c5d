package dev.herd.servlet;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SelectorManager;

import java.nio.channels.SelectableChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections accepted but not yet open. Jetty's selector accepts a connection, then hands it to
 * a pool thread that makes its endpoint, and only then does the connector count it among its
 * connected endpoints. A drain that saw no endpoint in that gap would stop Jetty and close a
 * connection whose client is about to send a request, or has: that request would fail with no
 * response. So a drain waits for these too. A connection the master handed over
 * ({@code --balance least-busy}) takes the same way in, and is counted the same. Kept by channel,
 * not as a bare count, so that a connection opened some other way (an upgrade's) changes nothing.
 */
final class AcceptsInProgress implements SelectorManager.AcceptListener, Connection.Listener {

    private final Set<Object> channels = ConcurrentHashMap.newKeySet();

    int count() {
        return channels.size();
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        channels.add(channel);
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        channels.remove(channel);
    }

    /** After its endpoint joined the connector's connected endpoints, which count it from now on. */
    @Override
    public void onOpened(Connection connection) {
        channels.remove(connection.getEndPoint().getTransport());
    }
}
