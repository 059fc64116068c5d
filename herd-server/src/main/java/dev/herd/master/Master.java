package dev.herd.master;

import dev.herd.ExitCodes;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.http.ListenSocket;
import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.ControlServer;
import dev.herd.ipc.Message;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The supervising process: binds the listeners, spawns the workers, and from then on runs one
 * loop that reacts to events (signals, worker messages, worker exits) and to time (heartbeat
 * and boot timeouts). It never runs app code. Everything after start-up happens on the loop
 * thread; other threads only enqueue {@link MasterEvent}s.
 */
public final class Master {

    private static final Logger log = LoggerFactory.getLogger(Master.class);
    /** How often the loop wakes without events, to check timeouts. */
    private static final long TICK_MILLIS = 100;
    /** Time a timed-out worker gets to print its thread dump before it is killed. */
    private static final long DUMP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Failed boots in a row, with no worker booting between them, after which the master gives up. */
    private static final int MAX_BOOT_FAILURES = 5;

    // STARTING -> RUNNING -> STOPPING -> STOPPED; STARTING or RUNNING -> STOPPED on fatal errors and halt
    private enum State { STARTING, RUNNING, STOPPING, STOPPED }

    private final long pid = ProcessHandle.current().pid();
    private final BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();
    private final List<WorkerHandle> workers = new ArrayList<>();
    private final List<ListenSocket> listeners = new ArrayList<>();
    private Config config;
    private State state = State.STARTING;
    private int exitStatus = ExitCodes.OK;
    private int generation = 1;
    private int bootFailuresInARow;
    private long stopDeadlineNanos;
    private EventLoopGroup loop;
    private ControlDirectory controlDirectory;
    private ControlServer controlServer;
    private WorkerLauncher launcher;

    public Master(Config config) {
        this.config = config;
    }

    /** Runs until stopped; returns the exit status for the process. */
    public int run() {
        try {
            start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage() == null ? e.toString() : e.getMessage());
            cleanUp();
            return ExitCodes.ERROR;
        }
        try {
            while (state != State.STOPPED) {
                handleEvents();
                stopTimedOutWorkers();
                killOverdueWorkers();
                spawnMissingWorkers();
                announceReady();
                finishStop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            halt("master interrupted", ExitCodes.ERROR);
        } finally {
            cleanUp();
        }
        log.info("master exiting with status {}", exitStatus);
        return exitStatus;
    }

    private void start() throws IOException, InterruptedException {
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("herd-master-io", true),
                EpollIoHandler.newFactory());
        List<BindAddress> bound = new ArrayList<>();
        for (BindAddress address : config.binds()) {
            ListenSocket socket = bindOrExplain(address);
            listeners.add(socket);
            bound.add(socket.address());
        }
        config = config.with(Settings.BIND, List.copyOf(bound));
        controlDirectory = ControlDirectory.create();
        controlServer = ControlServer.start(loop, controlDirectory.controlSocket(), new ControlEvents());
        launcher = new WorkerLauncher(config, controlDirectory.controlSocket());
        Signals.install(kind -> events.add(new MasterEvent.SignalReceived(kind)));
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAllNow, "herd-master-exit"));
        log.info("master pid={} listening on {} with {} {} workers", pid, listenAddresses(),
                config.workers(), config.workerClass().name().toLowerCase());
    }

    private ListenSocket bindOrExplain(BindAddress address) throws InterruptedException, IOException {
        try {
            return ListenSocket.bind(loop, address, config.backlog(), config.get(Settings.BIND_MODE));
        } catch (Exception e) {
            throw new IOException("cannot bind " + address + ": " + e.getMessage(), e);
        }
    }

    // ---- the loop's steps ------------------------------------------------------------------

    private void handleEvents() throws InterruptedException {
        MasterEvent event = events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        while (event != null) {
            switch (event) {
                case MasterEvent.SignalReceived(Signals.Kind signal) -> onSignal(signal);
                case MasterEvent.ControlMessage(ControlConnection connection, Message message) ->
                        onMessage(connection, message);
                case MasterEvent.WorkerExited(WorkerHandle worker, int status) -> reapWorker(worker, status);
            }
            event = events.poll();
        }
    }

    /** Kills workers whose heartbeat stopped for --timeout, or whose boot took past --boot-timeout. */
    private void stopTimedOutWorkers() {
        long now = System.nanoTime();
        for (WorkerHandle worker : workers) {
            switch (worker.state()) {
                case READY -> {
                    long silentNanos = now - worker.lastHeartbeatNanos();
                    if (silentNanos > config.timeout().toNanos()) {
                        log.error("{} timed out: no heartbeat for {} ms; thread dump follows, then kill",
                                worker, TimeUnit.NANOSECONDS.toMillis(silentNanos));
                        WorkerLauncher.requestThreadDump(worker.pid());
                        worker.killAt(now + DUMP_NANOS);
                    }
                }
                case BOOTING -> {
                    if (now - worker.spawnedNanos() > config.bootTimeout().toNanos()) {
                        log.error("{} did not boot within {} s; killing", worker, config.bootTimeout().toSeconds());
                        worker.killAt(now);
                    }
                }
                case STOPPING, KILLED -> { }
            }
        }
    }

    private void killOverdueWorkers() {
        long now = System.nanoTime();
        for (WorkerHandle worker : workers) {
            if (worker.state() == WorkerHandle.State.KILLED && now - worker.killAtNanos() >= 0) {
                worker.process().destroyForcibly();
            }
        }
    }

    /** Keeps one live worker in every slot of the current generation while running. */
    private void spawnMissingWorkers() {
        if (state != State.STARTING && state != State.RUNNING) {
            return;
        }
        for (int index = 1; index <= config.workers(); index++) {
            if (!slotTaken(index)) {
                spawnWorker(index);
            }
        }
    }

    private void announceReady() {
        if (state == State.STARTING && readyCount() == config.workers()) {
            state = State.RUNNING;
            log.info("ready pid={} listen={} workers={}", pid, listenAddresses(), config.workers());
        }
    }

    /** Ends a graceful stop once every worker has exited, or kills them at the deadline. */
    private void finishStop() {
        if (state != State.STOPPING) {
            return;
        }
        if (workers.isEmpty()) {
            state = State.STOPPED;
        } else if (System.nanoTime() - stopDeadlineNanos > 0) {
            log.warn("graceful timeout passed; killing {} workers", workers.size());
            killAllNow();
            state = State.STOPPED;
        }
    }

    // ---- events ------------------------------------------------------------------------------

    private void onSignal(Signals.Kind signal) {
        log.info("received {}", signal);
        switch (signal) {
            case TERM -> stop(config.gracefulTimeout());
            case INT -> halt("halt requested by " + signal, ExitCodes.OK);
        }
    }

    private void onMessage(ControlConnection connection, Message message) {
        long now = System.nanoTime();
        switch (message) {
            case Message.Hello(long workerPid, int index, int workerGeneration) -> welcome(connection, workerPid);
            case Message.AwaitingListeners() -> connection.sendDescriptors(listenerFds());
            case Message.Ready(long bootMillis) -> byConnection(connection, worker -> {
                worker.ready(now);
                bootFailuresInARow = 0;
                log.info("{} ready (boot {} ms)", worker, bootMillis);
                if (state == State.STOPPING) {
                    stopWorker(worker, config.gracefulTimeout());
                }
            });
            case Message.Heartbeat(long requests, int inFlight, int connections) -> byConnection(connection,
                    worker -> worker.heartbeat(now, requests, inFlight, connections));
            case Message.Welcome w -> log.warn("unexpected {} from a worker", w);
            case Message.Stop s -> log.warn("unexpected {} from a worker", s);
        }
    }

    private void welcome(ControlConnection connection, long workerPid) {
        WorkerHandle worker = workers.stream().filter(w -> w.pid() == workerPid).findFirst().orElse(null);
        if (worker == null) {
            log.warn("a process that is not one of this master's workers connected (pid {}); closing", workerPid);
            connection.close();
            return;
        }
        worker.attach(connection);
        Map<String, String> text = config.toText();
        connection.send(new Message.Welcome(text, listeners.stream().map(l -> l.address().toString()).toList()));
    }

    private void reapWorker(WorkerHandle worker, int status) {
        workers.remove(worker);
        String how = status > 128 ? status + " (killed by signal " + (status - 128) + ")" : Integer.toString(status);
        if (state == State.STOPPING || worker.state() == WorkerHandle.State.STOPPING) {
            log.info("{} exited with status {}", worker, how);
            return;
        }
        if (!worker.everReady()) {
            bootFailuresInARow++;
            log.error("{} failed to boot (exit status {})", worker, how);
            if (state == State.STARTING) {
                halt("workers failed to boot; see the errors above", ExitCodes.BOOT_ERROR);
            } else if (bootFailuresInARow >= MAX_BOOT_FAILURES) {
                halt(bootFailuresInARow + " workers in a row failed to boot", ExitCodes.BOOT_ERROR);
            }
            return;
        }
        log.warn("{} exited with status {}; starting a replacement", worker, how);
    }

    // ---- lifecycle verbs ------------------------------------------------------------------

    private void spawnWorker(int index) {
        try {
            Process process = launcher.spawn(index, generation);
            WorkerHandle worker = new WorkerHandle(process, index, generation, System.nanoTime());
            workers.add(worker);
            process.onExit().thenAccept(p -> events.add(new MasterEvent.WorkerExited(worker, p.exitValue())));
            log.info("spawned {} (generation {})", worker, generation);
        } catch (IOException e) {
            halt("cannot start a worker process: " + e.getMessage(), ExitCodes.BOOT_ERROR);
        }
    }

    /** Graceful stop of the whole server: workers finish in-flight requests within {@code grace}. */
    private void stop(Duration grace) {
        if (state == State.STOPPING || state == State.STOPPED) {
            return;
        }
        state = State.STOPPING;
        stopDeadlineNanos = System.nanoTime() + grace.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (WorkerHandle worker : workers) {
            stopWorker(worker, grace);
        }
    }

    private void stopWorker(WorkerHandle worker, Duration grace) {
        switch (worker.state()) {
            case READY -> {
                worker.stopping();
                worker.connection().send(new Message.Stop(grace.toMillis()));
            }
            case BOOTING -> worker.killAt(System.nanoTime());
            case STOPPING, KILLED -> { }
        }
    }

    /** Stops now: kills every worker and ends the loop with {@code status}. */
    private void halt(String reason, int status) {
        if (status == ExitCodes.OK) {
            log.info("halting: {}", reason);
        } else {
            log.error("halting: {}", reason);
        }
        exitStatus = status;
        killAllNow();
        state = State.STOPPED;
    }

    private void killAllNow() {
        for (WorkerHandle worker : List.copyOf(workers)) {
            worker.process().destroyForcibly();
        }
        for (WorkerHandle worker : List.copyOf(workers)) {
            try {
                worker.process().waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void cleanUp() {
        if (controlServer != null) {
            controlServer.close();
        }
        for (ListenSocket socket : listeners) {
            socket.close();
        }
        if (controlDirectory != null) {
            controlDirectory.delete();
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    // ---- small helpers ----------------------------------------------------------------------

    private boolean slotTaken(int index) {
        return workers.stream().anyMatch(w -> w.index() == index && w.generation() == generation
                && w.state() != WorkerHandle.State.STOPPING);
    }

    private long readyCount() {
        return workers.stream().filter(w -> w.state() == WorkerHandle.State.READY).count();
    }

    private void byConnection(ControlConnection connection, java.util.function.Consumer<WorkerHandle> action) {
        workers.stream().filter(w -> w.connection() == connection).findFirst().ifPresent(action);
    }

    private int[] listenerFds() {
        return listeners.stream().mapToInt(ListenSocket::fd).toArray();
    }

    private String listenAddresses() {
        return listeners.stream().map(l -> l.address().toString()).collect(Collectors.joining(","));
    }

    /** Forwards control socket traffic to the loop. Runs on the control event loop: only enqueues. */
    private final class ControlEvents implements ControlServer.Listener {
        @Override
        public void received(ControlConnection connection, Message message) {
            events.add(new MasterEvent.ControlMessage(connection, message));
        }

        @Override
        public void disconnected(ControlConnection connection) {
            // The process exit that follows is what counts; a worker cannot live without this connection.
        }
    }
}
