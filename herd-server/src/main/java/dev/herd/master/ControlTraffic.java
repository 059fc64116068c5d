package dev.herd.master;

import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.ControlServer;
import dev.herd.ipc.Message;

import java.util.Queue;

/**
 * Routes what arrives on the control socket. Runs on the master's I/O loop: balancing messages
 * are handled right there, where the balancer lives and accepts happen; everything else is
 * queued for the master's own thread, a worker's Ready under a balancer only once the balancer
 * gives that worker connections. The balancer starts serving the worker here, on the loop, before
 * the master's thread hears of it: were that left to a task the master's thread queues, the loop
 * would accept a burst that arrived meanwhile (it reads its sockets before it runs queued tasks)
 * and hand all of it to the workers that were ready earlier, though the master had already
 * announced this one.
 */
final class ControlTraffic implements ControlServer.Listener {

    private final Queue<MasterEvent> events;
    /** Null under --balance shared. */
    private final Balancer balancer;

    ControlTraffic(Queue<MasterEvent> events, Balancer balancer) {
        this.events = events;
        this.balancer = balancer;
    }

    @Override
    public void received(ControlConnection connection, Message message) {
        switch (message) {
            case Message.Handoff hello when balancer != null -> balancer.handoffConnected(connection, hello);
            case Message.Load load when balancer != null -> balancer.load(connection, load);
            case Message.Taken taken when balancer != null -> balancer.taken(connection);
            case Message.Ready ready when balancer != null -> balancer.onceConnected(connection.peerPid(), () -> {
                balancer.serving(connection.peerPid());
                events.add(new MasterEvent.ControlMessage(connection, ready));
            });
            default -> events.add(new MasterEvent.ControlMessage(connection, message));
        }
    }

    @Override
    public void disconnected(ControlConnection connection) {
        // For a worker's control connection the process exit that follows is what counts.
        if (balancer != null) {
            balancer.disconnected(connection);
        }
    }
}
