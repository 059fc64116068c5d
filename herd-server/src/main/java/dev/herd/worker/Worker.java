package dev.herd.worker;

import dev.herd.ExitCodes;
import dev.herd.api.WorkerInfo;
import dev.herd.app.AppLoadException;
import dev.herd.config.Balance;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.InvalidSettingException;
import dev.herd.engine.Engine;
import dev.herd.engine.Engines;
import dev.herd.ipc.ControlClient;
import dev.herd.ipc.Message;
import dev.herd.logging.HerdLogging;
import dev.herd.signals.OsSignals;
import dev.herd.state.StateBackend;
import dev.herd.state.StateBackends;
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
import java.util.concurrent.atomic.AtomicBoolean;

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
    /** Closed last, after the app's stop hooks (which may still use it). */
    private StateBackend state;
    /** Set by a TERM of this worker's own; acted on once it serves. */
    private volatile boolean terminated;
    private volatile Runnable onTerminated;
    private final AtomicBoolean terminationHandled = new AtomicBoolean();

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
            if (state != null) {
                state.close();
            }
            control.close();
            controlLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    private int serve(ControlClient control, EventLoopGroup controlLoop) throws Exception {
        installTermHandler();
        log.debug("boot: connected to the master after {} ms", sinceStart());
        control.send(new Message.Hello(pid, index, generation));
        Message.Welcome welcome = expect(Message.Welcome.class);
        Config config = decode(welcome);
        List<BindAddress> addresses = welcome.listeners().stream().map(BindAddress::parse).toList();
        // Under least-busy the master accepts and hands connections over: no listening socket here.
        List<Integer> fds = control.receiveListeners(
                config.balance() == Balance.LEAST_BUSY ? 0 : addresses.size()).get();
        log.debug("boot: configuration and {} listeners after {} ms", fds.size(), sinceStart());

        StateBackend state = StateBackends.open(config, controlSocket);
        this.state = state;
        log.debug("boot: shared state ({}) after {} ms", state.describe(), sinceStart());
        Engine engine = Engines.start(config, new WorkerInfo(pid, index, generation, config.workerClass().toString()));
        log.debug("boot: app started after {} ms", sinceStart());
        for (int i = 0; i < fds.size(); i++) {
            engine.listen(fds.get(i), addresses.get(i));
        }
        Handoffs handoffs = config.balance() == Balance.SHARED ? null
                : Handoffs.open(controlLoop, controlSocket, pid, addresses, engine);
        long bootMillis = sinceStart();
        control.send(new Message.Ready(bootMillis));
        log.debug("serving {} on {}", engine.describe(), welcome.listeners());
        Recycler recycler = new Recycler(config.maxRequests(), config.maxRequestsJitter(), config.maxHeapAfterGcMiB());
        new Heartbeat(engine, control, recycler, Heartbeat.intervalFor(config.timeout())).start();
        MetricsReporter metrics = new MetricsReporter(engine, control, controlLoop);
        onTerminated = () -> {
            // Told first, so the master hands no more connections and counts no crash.
            control.send(new Message.Retire(Message.Retire.TERMINATED));
            inbox.add(new Message.Stop(config.gracefulTimeout().toMillis()));
        };
        handleTermination();

        while (true) {
            switch (inbox.take()) {
                case Message.Stop stop -> {
                    int status = drain(engine, handoffs, Duration.ofMillis(stop.graceMillis()));
                    metrics.finish();
                    return status;
                }
                case Message.StopAccepting stopAccepting -> {
                    log.warn("the master gave up on this worker: accepting no more connections");
                    engine.stopAccepting();
                }
                case Message.ReopenLogs reopen -> {
                    HerdLogging.reopen();
                    engine.reopenLogs();
                }
                case Message other -> log.warn("ignoring unexpected control message {}", other);
            }
        }
    }

    /** Graceful stop: no new connections, finish what is in flight, then the app's stop hooks. */
    private int drain(Engine engine, Handoffs handoffs, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        engine.drain();
        if (handoffs != null && !handoffs.awaitClosed(grace)) {
            log.warn("the master did not close the handoff connections within {} ms", grace.toMillis());
        }
        boolean clean = engine.awaitConnectionsClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (!clean) {
            log.warn("graceful timeout: {} requests still in flight after {} ms; closing them",
                    engine.inFlight(), grace.toMillis());
        }
        if (handoffs != null) {
            handoffs.close();
        }
        engine.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return ExitCodes.OK;
    }

    /**
     * TERM reaches workers too when the whole process group gets it (systemd's default
     * KillMode=control-group, a {@code kill} of the group, a container runtime without an init).
     * The JVM's own answer is to exit at once with status 143, dropping what is in flight; here
     * the worker drains as on the master's stop, as Gunicorn's workers do. One that gets it while
     * booting finishes booting first (the master may still need it, or kills it itself).
     */
    private void installTermHandler() {
        try {
            OsSignals.handle("TERM", () -> {
                terminated = true;
                handleTermination();
            });
        } catch (RuntimeException e) {
            log.warn("cannot handle TERM ({}); a TERM ends this worker at once", e.getMessage());
        }
    }

    /** Once, from whichever comes second: the TERM, or the end of the boot. */
    private void handleTermination() {
        Runnable action = onTerminated;
        if (terminated && action != null && terminationHandled.compareAndSet(false, true)) {
            log.info("received TERM: draining");
            action.run();
        }
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
