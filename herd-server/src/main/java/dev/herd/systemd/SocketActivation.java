package dev.herd.systemd;

import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.config.Source;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * systemd's socket activation (sd_listen_fds(3)), as Gunicorn and Puma do it: when
 * {@code $LISTEN_PID} is this process, descriptors 3 to 3 + {@code $LISTEN_FDS} - 1 are listening
 * sockets the service manager bound (so a restart of herd loses no connection: they wait in the
 * socket's queue, which systemd holds). The master adopts them instead of binding:
 * <ul>
 *   <li>without {@code --bind} (the default), it serves on exactly the inherited sockets;</li>
 *   <li>with {@code --bind}, each address takes the inherited socket named {@code fd:NAME} or bound
 *       to the same address, and is bound by herd when none is; an inherited socket that no
 *       {@code --bind} asks for is an error, not a socket silently left unserved.</li>
 * </ul>
 * Workers never see {@code LISTEN_*} ({@link ServiceEnvironment#scrub}): a worker is not the
 * process the sockets were meant for.
 */
public final class SocketActivation {

    static final String LISTEN_PID = "LISTEN_PID";
    static final String LISTEN_FDS = "LISTEN_FDS";
    static final String LISTEN_FDNAMES = "LISTEN_FDNAMES";
    private static final int FIRST_FD = 3;

    /** The inherited sockets do not fit the configuration: a usage error, exit status 2. */
    public static final class MismatchException extends Exception {
        MismatchException(String message) {
            super(message);
        }
    }

    private SocketActivation() {
    }

    /**
     * The sockets passed to process {@code pid}; none when {@code $LISTEN_PID} is unset or names
     * another process (a parent that was activated and did not clear it).
     */
    public static List<InheritedSocket> inherited(Map<String, String> env, long pid)
            throws MismatchException, IOException {
        String listenPid = env.get(LISTEN_PID);
        if (listenPid == null || listenPid.isBlank()) {
            return List.of();
        }
        if (!listenPid.trim().equals(Long.toString(pid))) {
            return List.of();
        }
        int count;
        try {
            count = Integer.parseInt(env.getOrDefault(LISTEN_FDS, "").trim());
        } catch (NumberFormatException e) {
            throw new MismatchException("$LISTEN_FDS is not a number: '" + env.get(LISTEN_FDS) + "'");
        }
        String namesText = env.getOrDefault(LISTEN_FDNAMES, "");
        String[] names = namesText.isEmpty() ? new String[0] : namesText.split(":", -1);
        Epoll.ensureAvailability();
        List<InheritedSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int fd = FIRST_FD + i;
            String name = i < names.length ? names[i] : "";
            if (!NativeSockets.isListeningStream(fd)) {
                throw new MismatchException("descriptor " + fd + (name.isEmpty() ? "" : " (" + name + ")")
                        + " passed by the service manager is not a listening stream socket (a socket unit for"
                        + " herd needs ListenStream= and Accept=no)");
            }
            NativeSockets.prepareForLoop(fd);
            sockets.add(new InheritedSocket(fd, name, addressOf(fd)));
        }
        return List.copyOf(sockets);
    }

    private static BindAddress addressOf(int fd) throws MismatchException {
        Socket socket = new Socket(fd);
        int family = NativeSockets.family(fd);
        if (family == NativeSockets.AF_UNIX) {
            DomainSocketAddress local = socket.localDomainSocketAddress();
            return BindAddress.unix(local.path());
        }
        if (family == NativeSockets.AF_INET || family == NativeSockets.AF_INET6) {
            InetSocketAddress local = socket.localAddress();
            return new BindAddress(local.getAddress().getHostAddress().replaceFirst("%.*$", ""), local.getPort());
        }
        throw new MismatchException("descriptor " + fd + " passed by the service manager is neither a TCP nor a"
                + " unix socket");
    }

    /**
     * {@code config} with its addresses as they will be served: the inherited sockets' when
     * {@code --bind} was not given; otherwise checked against the inherited sockets.
     */
    public static Config bindsFor(Config config, List<InheritedSocket> inherited) throws MismatchException {
        if (inherited.isEmpty()) {
            for (BindAddress bind : config.binds()) {
                if (bind.isInherited()) {
                    throw new MismatchException("--bind " + bind + ": no socket was passed by a service manager"
                            + " ($LISTEN_FDS is not set for this process)");
                }
            }
            return config;
        }
        if (config.source(Settings.BIND) == Source.DEFAULT) {
            return config.with(Settings.BIND, inherited.stream().map(InheritedSocket::address).toList());
        }
        List<InheritedSocket> unclaimed = new ArrayList<>(inherited);
        for (BindAddress bind : config.binds()) {
            Optional<InheritedSocket> match = match(bind, inherited);
            if (match.isEmpty() && bind.isInherited()) {
                throw new MismatchException("--bind " + bind + ": no inherited socket has that name; passed: "
                        + describe(inherited));
            }
            match.ifPresent(unclaimed::remove);
        }
        if (!unclaimed.isEmpty()) {
            throw new MismatchException("the service manager passed " + describe(unclaimed) + ", which no --bind asks"
                    + " for; add --bind for it (by address, or fd:NAME), or drop --bind to serve every passed socket");
        }
        return config;
    }

    /** The inherited socket {@code bind} asks for, if any. */
    public static Optional<InheritedSocket> match(BindAddress bind, List<InheritedSocket> inherited) {
        return inherited.stream().filter(socket -> socket.matches(bind)).findFirst();
    }

    private static String describe(List<InheritedSocket> sockets) {
        return String.join(", ", sockets.stream().map(InheritedSocket::toString).toList());
    }
}
