package dev.herd.master;

import dev.herd.admin.AdminBackend;
import dev.herd.admin.AdminServer;
import dev.herd.config.Balance;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.ipc.ControlServer;
import dev.herd.ipc.ControlSocketLocation;
import dev.herd.state.local.StateFileException;
import dev.herd.state.local.StateServer;
import dev.herd.systemd.InheritedSocket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * What the master holds open while it runs: its I/O loop, the listening sockets (and the
 * balancer that hands their connections over), the control socket, the shared-state store, the
 * pid file, the admin listener and the app watcher of {@code --reload}. Opened in that order by
 * {@link #open}; {@link #close} closes whatever was opened, in the order that loses nothing.
 */
final class MasterServers {

    private static final Logger log = LoggerFactory.getLogger(MasterServers.class);

    private EventLoopGroup loop;
    /** Null under --balance shared; confined to {@link #loop}. */
    private Balancer balancer;
    private Listeners listeners;
    private Path controlSocket;
    private ControlServer controlServer;
    private StateServer stateServer;
    private PidFile pidFile;
    private WorkerLauncher launcher;
    private AdminServer admin;
    private AppWatcher appWatcher;

    /**
     * Opens everything; on failure what was opened stays for {@link #close}.
     *
     * @return {@code config} with the listeners' real addresses (port 0 resolved)
     */
    Config open(Config config, List<InheritedSocket> inherited, long pid, Queue<MasterEvent> events,
                AdminBackend adminBackend) throws IOException, InterruptedException, StateFileException {
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("herd-master-io", true),
                EpollIoHandler.newFactory());
        if (config.balance() != Balance.SHARED) {
            balancer = new Balancer(config.binds().size());
        }
        listeners = new Listeners(loop, config, balancer, inherited);
        Config bound = config.with(Settings.BIND, listeners.addresses());
        controlSocket = controlSocketPath(bound, pid);
        controlServer = ControlServer.start(loop, controlSocket, new ControlTraffic(events, balancer));
        // Always there, even under --state redis: a reload may switch to local.
        stateServer = StateServer.start(bound, controlSocket);
        if (!bound.pidFile().isBlank()) {
            pidFile = PidFile.write(Path.of(bound.pidFile()), pid);
        }
        launcher = new WorkerLauncher(controlSocket);
        String adminBind = bound.get(Settings.ADMIN_BIND);
        if (!adminBind.isBlank()) {
            admin = AdminServer.start(loop, BindAddress.parse(adminBind), bound.get(Settings.ADMIN_TOKEN),
                    bound.get(Settings.ADMIN_OPEN_HEALTH), adminBackend);
            log.info("admin listener on http://{}/ (metrics, health, status){}", admin.address(),
                    bound.get(Settings.ADMIN_TOKEN).isEmpty() ? "" : " with a bearer token");
        }
        if (bound.get(Settings.RELOAD)) {
            appWatcher = AppWatcher.start(AppWatcher.sources(bound), what -> events.add(new MasterEvent.AppChanged(what)));
        }
        return bound;
    }

    private static Path controlSocketPath(Config config, long pid) throws IOException {
        String given = config.get(Settings.CONTROL_SOCKET);
        if (!given.isBlank()) {
            return Path.of(given).toAbsolutePath();
        }
        Path socket = ControlSocketLocation.defaultSocket(pid);
        ControlSocketLocation.ensurePrivate(socket.getParent());
        return socket;
    }

    EventLoopGroup loop() {
        return loop;
    }

    /** Null under --balance shared. */
    Balancer balancer() {
        return balancer;
    }

    Listeners listeners() {
        return listeners;
    }

    Path controlSocket() {
        return controlSocket;
    }

    StateServer stateServer() {
        return stateServer;
    }

    WorkerLauncher launcher() {
        return launcher;
    }

    /** After the workers are gone. */
    void close() {
        if (appWatcher != null) {
            appWatcher.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (controlServer != null) {
            controlServer.close();
        }
        if (stateServer != null) {
            stateServer.close(); // after the workers: the file gets everything they changed
        }
        if (listeners != null) {
            listeners.close();
        }
        if (pidFile != null) {
            pidFile.delete();
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
