package dev.herd.systemd;

import java.util.List;
import java.util.Map;

/**
 * What the service manager tells the master through its environment, and what no child of the
 * master may inherit: a worker that saw {@code $LISTEN_PID}/{@code $LISTEN_FDS} or
 * {@code $NOTIFY_SOCKET} could take them as meant for itself (a JVM app that embeds another
 * server, a library that calls sd_notify). sd_notify(3) and sd_listen_fds(3) clear them for the
 * same reason.
 */
public final class ServiceEnvironment {

    private static final List<String> MASTER_ONLY = List.of(SocketActivation.LISTEN_PID, SocketActivation.LISTEN_FDS,
            SocketActivation.LISTEN_FDNAMES, ServiceNotifier.NOTIFY_SOCKET, ServiceNotifier.WATCHDOG_USEC,
            ServiceNotifier.WATCHDOG_PID);

    private ServiceEnvironment() {
    }

    /** Removes the master's service-manager variables from a child's environment. */
    public static void scrub(Map<String, String> childEnvironment) {
        MASTER_ONLY.forEach(childEnvironment::remove);
    }
}
