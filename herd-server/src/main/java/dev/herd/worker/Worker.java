package dev.herd.worker;

import dev.herd.ExitCodes;
import dev.herd.api.WorkerInfo;
import dev.herd.app.AppInstance;
import dev.herd.app.AppLoadException;
import dev.herd.app.AppLoader;
import dev.herd.config.Balance;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.InvalidSettingException;
import dev.herd.exec.ExecutionModel;
import dev.herd.http.HttpOptions;
import dev.herd.http.HttpServer;
import dev.herd.ipc.ControlClient;
import dev.herd.ipc.Message;
import dev.herd.logging.HerdLogging;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker process's life: connect to the master, receive the configuration and the
 * listening sockets, boot the app, serve, and drain on {@code Stop}. The master's view of this
 * process is {@code WorkerHandle}; this class is the process itself.
 */
final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final Path controlSocket;
    private final int index;
    private final int generation;
    private final long pid = ProcessHandle.current().pid();
    private final long startNanos = System.nanoTime();
    /** Control messages, handed from the control event loop to the worker's main thread. */
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    // RUNNING -> EXITING; once exiting, the control connection closing is expected.
    private volatile boolean exiting;

    Worker(Path controlSocket, int index, int generation) {
        this.controlSocket = controlSocket;
        this.index = index;
        this.generation = generation;
    }

    /** Runs the worker to its end and returns the exit status. */
    int run() {
        EventLoopGroup controlLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("herd-control", true),
                EpollIoHandler.newFactory());
        ControlClient control;
        try {
            control = ControlClient.connect(controlLoop, controlSocket, inbox::add, this::masterGone);
        } catch (Exception e) {
            log.error("cannot reach the master at {}: {}", controlSocket, e.toString());
            return ExitCodes.MASTER_GONE;
        }
        try {
            return serve(control, controlLoop);
        } catch (AppLoadException e) {
            log.error("cannot load the app: {}", e.getMessage(), e.getCause());
            return ExitCodes.APP_LOAD_ERROR;
        } catch (Exception e) {
            log.error("worker failed to boot", e);
            return ExitCodes.BOOT_ERROR;
        } finally {
            exiting = true;
            control.close();
            controlLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    private int serve(ControlClient control, EventLoopGroup controlLoop) throws Exception {
        log.debug("boot: connected to the master after {} ms", sinceStart());
        control.send(new Message.Hello(pid, index, generation));
        Message.Welcome welcome = expect(Message.Welcome.class);
        Config config = decode(welcome);
        List<BindAddress> addresses = welcome.listeners().stream().map(BindAddress::parse).toList();
        // Under least-busy the master accepts and hands connections over: no listening socket here.
        List<Integer> fds = control.receiveListeners(
                config.balance() == Balance.LEAST_BUSY ? 0 : addresses.size()).get();
        log.debug("boot: configuration and {} listeners after {} ms", fds.size(), sinceStart());

        AppInstance app = AppLoader.load(AppLoader.classLoader(config.appJar()),
                AppLoader.effectiveClassName(config.app()));
        ExecutionModel model = ExecutionModel.create(config, app);
        try {
            app.lifecycle().started(new WorkerInfo(pid, index, generation, model.name()));
        } catch (Exception e) {
            throw new AppLoadException("the app's started() hook failed: " + e, e);
        }
        log.debug("boot: app started after {} ms", sinceStart());
        HttpServer server = HttpServer.start(config.ioThreads(), model, HttpOptions.from(config));
        for (int i = 0; i < fds.size(); i++) {
            server.listen(fds.get(i), addresses.get(i));
        }
        Handoffs handoffs = config.balance() == Balance.SHARED ? null
                : Handoffs.open(controlLoop, controlSocket, pid, addresses, server);
        long bootMillis = sinceStart();
        control.send(new Message.Ready(bootMillis));
        log.debug("serving {} on {} with {} model", app.className(), welcome.listeners(), model.name());
        Recycler recycler = new Recycler(config.maxRequests(), config.maxRequestsJitter(), config.maxHeapAfterGcMiB());
        new Heartbeat(server, model, control, recycler, Heartbeat.intervalFor(config.timeout())).start();

        while (true) {
            switch (inbox.take()) {
                case Message.Stop stop -> {
                    return drain(server, handoffs, model, app, Duration.ofMillis(stop.graceMillis()));
                }
                case Message.StopAccepting stopAccepting -> {
                    log.warn("the master gave up on this worker: accepting no more connections");
                    server.stopAccepting();
                }
                case Message.ReopenLogs reopen -> {
                    HerdLogging.reopen();
                    server.reopenLogs();
                }
                case Message other -> log.warn("ignoring unexpected control message {}", other);
            }
        }
    }

    /** Graceful stop: no new connections, finish what is in flight, then the app's stopping hook. */
    private int drain(HttpServer server, Handoffs handoffs, ExecutionModel model, AppInstance app, Duration grace)
            throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        server.drain();
        if (handoffs != null && !handoffs.awaitClosed(grace)) {
            log.warn("the master did not close the handoff connections within {} ms", grace.toMillis());
        }
        boolean clean = server.awaitConnectionsClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (!clean) {
            log.warn("graceful timeout: {} requests still in flight after {} ms; closing them",
                    server.inFlight(), grace.toMillis());
        }
        model.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        try {
            app.lifecycle().stopping();
        } catch (Exception e) {
            log.warn("the app's stopping() hook failed", e);
        }
        if (handoffs != null) {
            handoffs.close();
        }
        server.shutdown();
        return ExitCodes.OK;
    }

    private long sinceStart() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private <T extends Message> T expect(Class<T> type) throws InterruptedException {
        while (true) {
            Message message = inbox.take();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
            log.warn("ignoring unexpected control message {}", message);
        }
    }

    private static Config decode(Message.Welcome welcome) {
        try {
            return Config.fromText(welcome.config());
        } catch (InvalidSettingException e) {
            throw new IllegalStateException("master sent a configuration this worker cannot read: " + e.getMessage());
        }
    }

    /**
     * The control connection closed while this worker was not exiting: the master is gone
     * (killed, crashed). A worker never outlives its master, so it halts at once, without
     * waiting for anything that might hang. Runs on the control event loop.
     */
    private void masterGone() {
        if (!exiting) {
            log.error("master is gone; exiting now");
            Runtime.getRuntime().halt(ExitCodes.MASTER_GONE);
        }
    }
}
