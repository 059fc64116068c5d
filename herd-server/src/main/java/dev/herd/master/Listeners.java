package dev.herd.master;

import dev.herd.config.Balance;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.http.ListenSocket;
import dev.herd.systemd.InheritedSocket;
import dev.herd.systemd.SocketActivation;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master's listening sockets, as {@code --balance} arranges them. Every {@code --bind}
 * address has one primary socket. Under {@code reuseport} a TCP address also has one
 * SO_REUSEPORT socket per worker slot (the primary serves slot 1), made as slots appear and
 * kept for the master's life: a slot's queue outlives its worker, so a dead worker's queued
 * connections wait for its replacement, or are handed to another worker meanwhile.
 * Loop-thread only, like the master.
 */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final EventLoopGroup loop;
    private final Config config;
    private final List<ListenSocket> primary = new ArrayList<>();
    /** Under reuseport: for each listener, the socket of each slot from 2 on. */
    private final List<Map<Integer, ListenSocket>> slotSockets = new ArrayList<>();
    private final Balancer balancer;

    /**
     * Binds every address of {@code config}, or adopts the socket the service manager passed for
     * it ({@code inherited}, already matched to the addresses by {@link SocketActivation#bindsFor});
     * throws with the address and the OS reason.
     */
    Listeners(EventLoopGroup loop, Config config, Balancer balancer, List<InheritedSocket> inherited)
            throws IOException {
        this.loop = loop;
        this.config = config;
        this.balancer = balancer;
        try {
            for (BindAddress address : config.binds()) {
                Optional<InheritedSocket> passed = SocketActivation.match(address, inherited);
                primary.add(passed.isPresent() ? adopt(passed.get()) : bind(address, reusePort(address)));
                slotSockets.add(new HashMap<>());
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        for (int listener = 0; listener < primary.size(); listener++) {
            switch (config.balance()) {
                case LEAST_BUSY -> onLoop(balancer, primary.get(listener), listener, 0);
                case REUSEPORT -> onLoop(balancer, primary.get(listener), listener,
                        reusePort(primary.get(listener)) ? 1 : -1);
                case SHARED -> { }
            }
        }
    }

    /** The addresses bound, with real ports, in --bind order. */
    List<BindAddress> addresses() {
        return primary.stream().map(ListenSocket::address).toList();
    }

    /** What a worker in {@code slot} accepts on, one per listener (none under least-busy). */
    int[] fdsFor(int slot) throws IOException {
        if (config.balance() == Balance.LEAST_BUSY) {
            return new int[0];
        }
        int[] fds = new int[primary.size()];
        for (int listener = 0; listener < primary.size(); listener++) {
            fds[listener] = socketFor(listener, slot).fd();
        }
        return fds;
    }

    /** Makes the slot's sockets now, so its connections queue even before its worker asks. */
    void prepareSlot(int slot) throws IOException {
        if (config.balance() == Balance.REUSEPORT) {
            for (int listener = 0; listener < primary.size(); listener++) {
                socketFor(listener, slot);
            }
        }
    }

    private ListenSocket socketFor(int listener, int slot) throws IOException {
        ListenSocket first = primary.get(listener);
        if (slot <= 1 || !reusePort(first)) {
            return first;
        }
        ListenSocket socket = slotSockets.get(listener).get(slot);
        if (socket == null) {
            socket = bind(first.address(), true);
            slotSockets.get(listener).put(slot, socket);
            onLoop(balancer, socket, listener, slot);
        }
        return socket;
    }

    private boolean reusePort(BindAddress address) {
        return config.balance() == Balance.REUSEPORT && !address.isUnix();
    }

    /**
     * Whether a listener gets a socket per slot. Not an inherited one: the service manager's
     * socket may lack SO_REUSEPORT, and its queue is what outlives herd's restarts; every slot
     * shares it.
     */
    private boolean reusePort(ListenSocket socket) {
        return socket.owned() && reusePort(socket.address());
    }

    private ListenSocket adopt(InheritedSocket socket) throws IOException {
        try {
            ListenSocket adopted = ListenSocket.adopt(loop, socket.fd(), socket.address());
            log.info("serving on the socket the service manager passed: {}", socket);
            return adopted;
        } catch (Exception e) {
            throw new IOException("cannot take over " + socket + ": " + e.getMessage(), e);
        }
    }

    private ListenSocket bind(BindAddress address, boolean reusePort) throws IOException {
        try {
            return ListenSocket.bind(loop, address, config.backlog(), config.get(Settings.BIND_MODE), reusePort);
        } catch (Exception e) {
            throw new IOException("cannot bind " + address + ": " + e.getMessage(), e);
        }
    }

    private void onLoop(Balancer target, ListenSocket socket, int listener, int slot) {
        if (slot >= 0) {
            loop.execute(() -> target.adopt(socket, listener, slot));
        }
    }

    void close() {
        for (Map<Integer, ListenSocket> slots : slotSockets) {
            slots.values().forEach(ListenSocket::close);
        }
        primary.forEach(ListenSocket::close);
    }
}
