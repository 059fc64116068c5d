package dev.herd.master;

import dev.herd.http.AcceptedConnection;
import dev.herd.http.ListenSocket;
import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which worker takes each connection the master accepts, and hands the connection's
 * descriptor over that worker's handoff connection. It serves every listener under
 * {@code --balance least-busy}, and under {@code reuseport} the slot sockets that have no
 * serving worker of their own (dead, booting, draining, or removed by a scale-down).
 *
 * <p>The least busy worker is the one with the fewest open connections plus requests in
 * flight, as it last reported them, plus the connections handed to it that it had not yet
 * received then. Counting its own handoffs at once is what spreads a burst of connections that
 * arrives faster than any report could.
 *
 * <p>The master keeps its copy of a handed connection until the worker says it took it; a
 * connection whose worker died before that goes to the next worker (see {@code Message}).
 *
 * <p>Confined to the master's I/O event loop, where connections are accepted and control
 * messages arrive; the master's loop thread reaches it through that loop's {@code execute}.
 * While no worker can take a connection, accepting stops, and connections wait in the kernel's
 * queue, where a worker's death cannot lose them.
 */
final class Balancer {

    private static final Logger log = LoggerFactory.getLogger(Balancer.class);

    private final int listenerCount;
    private final Map<Long, Target> targets = new HashMap<>();
    private final Map<ControlConnection, Target> byHandoff = new HashMap<>();
    private final List<Source> sources = new ArrayList<>();
    /** Accepted while no worker could take them (a handoff failed as its worker died): next in line. */
    private final Deque<Accepted> waiting = new ArrayDeque<>();

    /** One worker as the balancer sees it. */
    private static final class Target {
        final long pid;
        final int slot;
        final ControlConnection[] handoffs;
        /** Per listener: sent on that handoff connection and not yet taken, in the order sent. */
        final List<Deque<AcceptedConnection>> untaken = new ArrayList<>();
        // expected -> serving -> retired (no more connections; its handoff connections shut)
        boolean serving;
        boolean retired;
        long handed;
        /** The worker's Ready, held until all its handoff connections are in ({@link #onceConnected}). */
        Runnable whenAllConnected;
        Message.Load load = new Message.Load(0, 0, 0);

        Target(long pid, int slot, int listeners) {
            this.pid = pid;
            this.slot = slot;
            this.handoffs = new ControlConnection[listeners];
            for (int i = 0; i < listeners; i++) {
                untaken.add(new ArrayDeque<>());
            }
        }

        int listenerOf(ControlConnection handoff) {
            for (int i = 0; i < handoffs.length; i++) {
                if (handoffs[i] == handoff) {
                    return i;
                }
            }
            return -1;
        }

        boolean connected() {
            for (ControlConnection handoff : handoffs) {
                if (handoff != null) {
                    return true;
                }
            }
            return false;
        }

        boolean allConnected() {
            for (ControlConnection handoff : handoffs) {
                if (handoff == null) {
                    return false;
                }
            }
            return true;
        }

        boolean canTake(int listener) {
            return serving && !retired && handoffs[listener] != null && handoffs[listener].isOpen();
        }

        long score() {
            return load.connections() + load.inFlight() + (handed - load.received());
        }
    }

    /** A listening socket the master accepts on; {@code slot} 0 always, else only while the slot has no worker. */
    private record Source(ListenSocket socket, int listener, int slot) {
    }

    private record Accepted(AcceptedConnection connection, int listener) {
    }

    Balancer(int listenerCount) {
        this.listenerCount = listenerCount;
    }

    /** Starts serving {@code socket} (listener number {@code listener}); see {@link Source}. */
    void adopt(ListenSocket socket, int listener, int slot) {
        sources.add(new Source(socket, listener, slot));
        socket.acceptInto(connection -> handOff(new Accepted(connection, listener)));
        refreshAccepting();
    }

    /** A worker was spawned; only expected pids may open handoff connections. */
    void expect(long pid, int slot) {
        targets.put(pid, new Target(pid, slot, listenerCount));
    }

    /** The worker is ready: it may be given connections (once its handoff connections are in). */
    void serving(long pid) {
        Target target = targets.get(pid);
        if (target != null && !target.retired) {
            target.serving = true;
            refreshAccepting();
            flushWaiting();
        }
    }

    /**
     * The worker gets no more connections: draining, killed, or gone. Its handoff connections
     * are shut after everything already sent, which tells the worker nothing more is coming;
     * the master still reads them, for the last {@code Taken}s.
     */
    void retire(long pid) {
        Target target = targets.get(pid);
        if (target == null || target.retired) {
            return;
        }
        target.retired = true;
        for (ControlConnection handoff : target.handoffs) {
            if (handoff != null) {
                handoff.shutdownOutput();
            }
        }
        refreshAccepting();
    }

    /**
     * The worker exited. It is forgotten once its handoff connections have closed too, since
     * what it had not taken is found when they do ({@link #disconnected}).
     */
    void forget(long pid) {
        retire(pid);
        Target target = targets.get(pid);
        if (target != null && !target.connected()) {
            targets.remove(pid);
        }
    }

    /**
     * Runs {@code ready} (the worker's Ready going on to the master) once every handoff connection
     * of worker {@code pid} is in. The worker opens them before it sends Ready, but on other
     * connections, which the master may read in either order: a worker announced ready before
     * the balancer can give it connections would see a burst go to the others.
     */
    void onceConnected(long pid, Runnable ready) {
        Target target = targets.get(pid);
        if (target == null || target.allConnected()) {
            ready.run();
        } else {
            target.whenAllConnected = ready;
        }
    }

    /** A worker's first words on a handoff connection; anybody else is refused. */
    void handoffConnected(ControlConnection connection, Message.Handoff hello) {
        Target target = targets.get(hello.pid());
        boolean valid = target != null && !target.retired && hello.listener() >= 0 && hello.listener() < listenerCount
                && target.handoffs[hello.listener()] == null && connection.peerPid() == hello.pid();
        if (!valid) {
            log.warn("refusing a handoff connection that claims to be pid {} listener {}", hello.pid(),
                    hello.listener());
            connection.close();
            return;
        }
        target.handoffs[hello.listener()] = connection;
        byHandoff.put(connection, target);
        if (target.whenAllConnected != null && target.allConnected()) {
            Runnable ready = target.whenAllConnected;
            target.whenAllConnected = null;
            ready.run();
        }
        refreshAccepting();
        flushWaiting();
    }

    void load(ControlConnection connection, Message.Load load) {
        Target target = byHandoff.get(connection);
        if (target != null) {
            target.load = load;
        }
    }

    /** The worker took the oldest connection sent on this handoff connection: the master's copy goes. */
    void taken(ControlConnection connection) {
        Target target = byHandoff.get(connection);
        if (target != null) {
            AcceptedConnection accepted = target.untaken.get(target.listenerOf(connection)).poll();
            if (accepted != null) {
                accepted.close();
            }
        }
    }

    /**
     * A handoff connection closed: the worker exited, or it closed its side after a retire.
     * Everything it took was said before the close, so what is still untaken never reached it
     * and goes to another worker.
     */
    void disconnected(ControlConnection connection) {
        Target target = byHandoff.remove(connection);
        if (target == null) {
            return;
        }
        target.retired = true;
        int listener = target.listenerOf(connection);
        target.handoffs[listener] = null;
        Deque<AcceptedConnection> lost = target.untaken.get(listener);
        if (!target.connected()) {
            targets.remove(target.pid);
        }
        refreshAccepting();
        while (!lost.isEmpty()) {
            AcceptedConnection next = lost.poll();
            log.info("worker pid={} did not take connection from {}; handing it to another worker", target.pid,
                    next);
            handOff(new Accepted(next, listener));
        }
    }

    /** Connections handed to each worker so far, for the status. */
    long handed(long pid) {
        Target target = targets.get(pid);
        return target == null ? 0 : target.handed;
    }

    private void handOff(Accepted accepted) {
        Target target = leastBusy(accepted.listener());
        if (target == null) {
            waiting.add(accepted);
            refreshAccepting();
            return;
        }
        target.handed++;
        target.untaken.get(accepted.listener()).add(accepted.connection());
        int fd = accepted.connection().fd();
        if (log.isDebugEnabled()) {
            log.debug("connection from {} -> worker pid={} slot={} (loads after it: {})", accepted.connection(),
                    target.pid, target.slot, loads());
        }
        target.handoffs[accepted.listener()].sendDescriptor(fd, sent -> {
            if (!sent && target.untaken.get(accepted.listener()).removeLastOccurrence(accepted.connection())) {
                // The worker died as it was chosen: the connection is still ours; try the next one.
                target.handed--;
                target.retired = true;
                handOff(accepted);
            }
        });
    }

    private Target leastBusy(int listener) {
        Target best = null;
        for (Target target : targets.values()) {
            // Ties go to the worker handed fewer so far, so a trickle of short connections alternates.
            if (target.canTake(listener) && (best == null || target.score() < best.score()
                    || target.score() == best.score() && target.handed < best.handed)) {
                best = target;
            }
        }
        return best;
    }

    private void flushWaiting() {
        while (!waiting.isEmpty() && leastBusy(waiting.peek().listener()) != null) {
            Accepted next = waiting.poll();
            if (next.connection().isOpen()) {
                handOff(next);
            }
        }
        refreshAccepting();
    }

    /**
     * Accepts on a source only while some worker can take its connections and, for a slot
     * socket, while the slot's own worker is not accepting on it.
     */
    private void refreshAccepting() {
        for (Source source : sources) {
            boolean orphan = source.slot() == 0 || targets.values().stream()
                    .noneMatch(t -> t.slot == source.slot() && t.serving && !t.retired);
            source.socket().accepting(orphan && waiting.isEmpty() && leastBusy(source.listener()) != null);
        }
    }

    private String loads() {
        StringBuilder text = new StringBuilder();
        for (Target target : targets.values()) {
            if (target.serving && !target.retired) {
                text.append(text.isEmpty() ? "" : ", ").append(target.pid).append('=').append(target.score());
            }
        }
        return text.toString();
    }
}
