package dev.herd.master;

import dev.herd.admin.AdminBackend;
import dev.herd.ExitCodes;
import dev.herd.config.BindAddress;
import dev.herd.container.ContainerLimits;
import dev.herd.container.WorkerSizing;
import dev.herd.config.Config;
import dev.herd.config.ConfigResolver;
import dev.herd.config.Settings;
import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.Message;
import dev.herd.state.local.StateFileException;
import dev.herd.state.local.StateServer;
import dev.herd.systemd.InheritedSocket;
import dev.herd.systemd.ServiceNotifier;
import dev.herd.systemd.SocketActivation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The supervising process: binds the listeners, spawns the workers, and from then on runs one
 * loop that reacts to events (signals, worker messages, control commands, worker exits) and to
 * time (heartbeat and boot timeouts). It never runs app code. Everything after start-up happens
 * on the loop thread; other threads only enqueue {@link MasterEvent}s.
 */
public final class Master {

    private static final Logger log = LoggerFactory.getLogger(Master.class);
    /** How often the loop wakes without events, to check timeouts. */
    private static final long TICK_MILLIS = 100;
    /** Failed boots in a row, with no worker booting between them, after which the master gives up. */
    private static final int MAX_BOOT_FAILURES = 5;

    // STARTING -> RUNNING -> STOPPING -> STOPPED; STARTING or RUNNING -> STOPPED on fatal errors and halt
    private enum State { STARTING, RUNNING, STOPPING, STOPPED }

    private final long pid = ProcessHandle.current().pid();
    private final long startedNanos = System.nanoTime();
    private final ConfigResolver resolver;
    private final BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();
    private final WorkerPool workers = new WorkerPool();
    private final ControlCommands commands = new ControlCommands(this);
    private Config config;
    private State state = State.STARTING;
    private int exitStatus = ExitCodes.OK;
    private int generation = 1;
    private int targetWorkers;
    private Reload reload;
    /** {@code --reload}: what changed and still waits for its reload; null when nothing does. */
    private String appChanged;
    private int bootFailuresInARow;
    private long stopDeadlineNanos;
    /** The loop, sockets, store and files the master holds open; its balancer is reached through {@link WorkerControl#balance}. */
    private final MasterServers servers = new MasterServers();
    private final MasterMetrics metrics = new MasterMetrics();
    private final WorkerControl control = new WorkerControl(workers, servers, metrics, events);
    /** systemd's notify protocol; silent when herd was not started by a service manager. */
    private final ServiceNotifier notifier = ServiceNotifier.fromEnvironment(System.getenv(), pid);
    /** Until then the first generation may boot (for the service manager's start timeout). */
    private long firstBootDeadlineNanos;

    public Master(Config config, ConfigResolver resolver) {
        this.config = config;
        this.resolver = resolver;
        this.targetWorkers = config.workers();
    }

    /** Runs until stopped; returns the exit status for the process. */
    public int run() {
        String heapShortfall = StateServer.heapShortfall(config.get(Settings.STATE_MAX_BYTES),
                Runtime.getRuntime().maxMemory());
        if (heapShortfall != null) {
            log.error("cannot start: {}", heapShortfall);
            return ExitCodes.USAGE;
        }
        try {
            start();
        } catch (SocketActivation.MismatchException e) {
            log.error("cannot start: {}", e.getMessage());
            cleanUp();
            return ExitCodes.USAGE;
        } catch (StateFileException e) {
            log.error("cannot start: {}", e.getMessage());
            cleanUp();
            return ExitCodes.USAGE;
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage() == null ? e.toString() : e.getMessage());
            cleanUp();
            return ExitCodes.ERROR;
        }
        try {
            while (state != State.STOPPED) {
                handleEvents();
                stopTimedOutWorkers();
                Watchdog.destroyDue(workers, System.nanoTime());
                spawnMissingWorkers();
                advanceReload();
                reloadChangedApp();
                announceReady();
                notifier.tick(System.nanoTime(), this::serviceStatus,
                        state == State.STARTING ? firstBootDeadlineNanos : 0);
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

    private void start() throws IOException, InterruptedException, StateFileException,
            SocketActivation.MismatchException {
        List<InheritedSocket> inherited = SocketActivation.inherited(System.getenv(), pid);
        config = SocketActivation.bindsFor(config, inherited);
        config = servers.open(config, inherited, pid, events, new MasterAdmin(events, this));
        firstBootDeadlineNanos = System.nanoTime() + config.bootTimeout().toNanos();
        Signals.install(kind -> events.add(new MasterEvent.SignalReceived(kind)));
        Runtime.getRuntime().addShutdownHook(new Thread(workers::killAll, "herd-master-exit"));
        log.info("master pid={} listening on {} with {} {} workers; control socket {}", pid, listenAddresses(),
                targetWorkers, config.workerClass().name().toLowerCase(Locale.ROOT), servers.controlSocket());
        if (config.note(Settings.WORKERS) != null) {
            log.info("workers: {} ({})", targetWorkers, config.note(Settings.WORKERS));
        }
        ContainerLimits limits = ContainerLimits.current();
        if (limits.cpuLimited() || limits.memoryLimited()) {
            log.info("worker JVMs: {}", WorkerSizing.share(limits, targetWorkers, config.workerJvmOpts()).why());
        }
    }

    // ---- the loop's steps ------------------------------------------------------------------

    private void handleEvents() throws InterruptedException {
        MasterEvent event = events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        while (event != null) {
            try {
                switch (event) {
                    case MasterEvent.SignalReceived(Signals.Kind signal) -> onSignal(signal);
                    case MasterEvent.ControlMessage(ControlConnection connection, Message message) ->
                            onMessage(connection, message);
                    case MasterEvent.WorkerExited(WorkerHandle worker, int status) -> reapWorker(worker, status);
                    case MasterEvent.AppChanged(String what) -> appChanged = what;
                    case MasterEvent.Call(Runnable task) -> task.run();
                }
            } catch (RuntimeException bug) {
                // A bug in handling one event must not take the master, and with it every worker, down.
                log.error("error while handling {}; the master goes on", event, bug);
            }
            event = events.poll();
        }
    }

    /** Kills workers whose heartbeat stopped for --timeout, or whose boot took past --boot-timeout. */
    private void stopTimedOutWorkers() {
        for (Watchdog.Verdict verdict : Watchdog.overdue(workers, System.nanoTime())) {
            verdict.worker().endCause("timeout");
            control.kill(verdict.worker(), verdict.killAtNanos());
        }
    }

    /** Keeps a booting or serving worker in every slot of the serving generation while running. */
    private void spawnMissingWorkers() {
        if (state != State.STARTING && state != State.RUNNING) {
            return;
        }
        for (int slot = 1; slot <= targetWorkers; slot++) {
            if (!workers.slotHeld(slot, generation)) {
                spawnWorker(slot, generation, config);
            }
        }
    }

    /** Switches to the next generation once all of it is ready, then drains the old one. */
    private void advanceReload() {
        if (reload == null || workers.count(reload.generation(), WorkerHandle.State.READY) < targetWorkers) {
            return;
        }
        int old = generation;
        generation = reload.generation();
        config = reload.config();
        for (WorkerHandle worker : workers.matching(w -> w.generation() < generation)) {
            worker.endCause("reload");
            control.stop(worker);
        }
        metrics.reloaded(generation, System.nanoTime() - reload.startedNanos());
        reload.done(old);
        reload = null;
        notifier.reloadEnded("reload done: generation " + generation + " serves; " + serviceStatus());
    }

    /**
     * {@code --reload}: a new generation for a changed app, once no reload is under way (a change
     * during one waits for it to end, then reloads again with what the files are by then).
     */
    private void reloadChangedApp() {
        if (appChanged == null || reload != null || state != State.RUNNING) {
            return;
        }
        log.info("--reload: {} changed; reloading", appChanged);
        appChanged = null;
        try {
            reload(null);
        } catch (ControlCommands.Refused e) {
            log.warn("--reload: {}", e.getMessage());
        }
    }

    private void announceReady() {
        if (state == State.STARTING && workers.count(generation, WorkerHandle.State.READY) >= targetWorkers) {
            state = State.RUNNING;
            log.info("ready pid={} listen={} workers={}", pid, listenAddresses(), targetWorkers);
            notifier.ready(serviceStatus());
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
            workers.killAll();
            state = State.STOPPED;
        }
    }

    // ---- events ------------------------------------------------------------------------------

    private void onSignal(Signals.Kind signal) {
        log.info("received {}", signal);
        try {
            switch (signal) {
                case TERM -> stop(config.gracefulTimeout());
                case INT -> halt("halt requested by INT", ExitCodes.OK);
                case HUP -> reload(null);
                case TTIN -> scale(targetWorkers + 1);
                case TTOU -> scale(targetWorkers - 1);
                case USR1 -> control.reopenLogs();
            }
        } catch (ControlCommands.Refused e) {
            log.warn("{}: {}", signal, e.getMessage());
        }
    }

    private void onMessage(ControlConnection connection, Message message) {
        long now = System.nanoTime();
        switch (message) {
            case Message.Hello(long workerPid, int index, int workerGeneration) ->
                    control.welcome(connection, workerPid);
            case Message.AwaitingListeners() -> workers.byConnection(connection).ifPresent(control::sendListeners);
            case Message.Ready(long bootMillis) ->
                    workers.byConnection(connection).ifPresent(w -> ready(w, bootMillis));
            case Message.Heartbeat(long requests, int inFlight, int connections, int streams, int webSockets) ->
                    workers.byConnection(connection)
                            .ifPresent(w -> w.heartbeat(now, requests, inFlight, connections, streams, webSockets));
            case Message.Retire(String reason) -> workers.byConnection(connection).ifPresent(w -> retire(w, reason));
            case Message.Metrics(byte[] report) -> workers.byConnection(connection).ifPresent(w -> metrics.report(w, report));
            case Message.Command(String name, java.util.List<String> args) -> commands.run(connection, name, args);
            // What only the master sends, and balancing messages, which the I/O loop handles itself.
            case Message.Welcome _, Message.Stop _, Message.ReopenLogs _, Message.StopAccepting _, Message.Reply _,
                 Message.Handoff _, Message.Load _, Message.Taken _ ->
                    log.warn("unexpected {} on the control socket", message);
        }
    }

    private void ready(WorkerHandle worker, long bootMillis) {
        worker.ready(System.nanoTime());
        metrics.booted(worker, System.nanoTime() - worker.spawnedNanos());
        // The balancer already gives it connections (ControlTraffic).
        bootFailuresInARow = 0;
        log.info("{} ready (generation {}, boot {} ms, {} ms after spawn)", worker, worker.generation(), bootMillis,
                (System.nanoTime() - worker.spawnedNanos()) / 1_000_000);
        if (state == State.STOPPING || worker.index() > targetWorkers) {
            control.stop(worker);
            return;
        }
        for (WorkerHandle predecessor : workers.matching(w -> w.state() == WorkerHandle.State.RETIRING
                && w.index() == worker.index() && w.generation() == worker.generation())) {
            control.stop(predecessor);
        }
    }

    private void retire(WorkerHandle worker, String reason) {
        if (reason.equals(Message.Retire.TERMINATED)) {
            terminated(worker);
            return;
        }
        if (worker.state() == WorkerHandle.State.READY && state == State.RUNNING) {
            log.info("{} asks to be replaced ({}); starting its successor", worker, reason);
            worker.endCause(reason.startsWith("served") ? "max_requests" : "max_heap");
            worker.retiring();
        }
    }

    /**
     * The worker got a TERM of its own (systemd's KillMode=control-group, a kill of the process
     * group) and drains as on a stop: it gets no more connections, and its exit is not a crash. A
     * successor takes its slot unless the server is stopping too.
     */
    private void terminated(WorkerHandle worker) {
        if (worker.state() != WorkerHandle.State.READY && worker.state() != WorkerHandle.State.RETIRING) {
            return;
        }
        log.info("{} received TERM and drains{}", worker, state == State.RUNNING ? "; starting its successor" : "");
        if (state == State.RUNNING) {
            worker.endCause("signal");
        }
        worker.stopping();
        control.balance(b -> b.retire(worker.pid()));
    }

    private void reapWorker(WorkerHandle worker, int status) {
        workers.remove(worker);
        control.balance(b -> b.forget(worker.pid()));
        String cause = restartCause(worker, status);
        metrics.exited(worker, status, cause);
        String how = status > 128 ? status + " (killed by signal " + (status - 128) + ")" : Integer.toString(status);
        if (state == State.STOPPING || worker.state() == WorkerHandle.State.STOPPING || worker.abandoned()) {
            log.info("{} exited with status {}", worker, how);
            return;
        }
        if (reload != null && worker.generation() == reload.generation() && !worker.everReady()) {
            abortReload(worker + " failed to boot (exit status " + how + ")");
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

    /** Why a worker that exited is replaced, for the restart counts; null when it is not (the server stops). */
    private String restartCause(WorkerHandle worker, int status) {
        if (worker.endCause() != null) {
            return worker.endCause(); // even when the server stops meanwhile: it was replaced before
        }
        if (state == State.STOPPING || state == State.STOPPED) {
            return null;
        }
        if (worker.abandoned()) {
            return null;
        }
        return status > 128 ? "crash" : "exit";
    }

    // ---- verbs (also reached from herd ctl) ------------------------------------------------

    /** Starts a new generation from the configuration as it is now; the requester hears when it is done. */
    void reload(ControlConnection requester) throws ControlCommands.Refused {
        if (state != State.RUNNING) {
            throw new ControlCommands.Refused("cannot reload while " + state.name().toLowerCase(Locale.ROOT));
        }
        if (reload != null) {
            throw new ControlCommands.Refused("a reload is already under way");
        }
        Reload next;
        try {
            next = Reload.plan(resolver, config, generation, requester);
        } catch (ControlCommands.Refused e) {
            notifier.status(e.getMessage() + "; " + serviceStatus());
            throw e;
        }
        if (next.config().workers() != config.workers()) {
            targetWorkers = next.config().workers();
        }
        reload = next;
        log.info("reloading: starting generation {} with {} workers", next.generation(), targetWorkers);
        notifier.reloading("reloading to generation " + next.generation() + "; " + serviceStatus());
        for (int slot = 1; slot <= targetWorkers; slot++) {
            spawnWorker(slot, next.generation(), next.config());
        }
    }

    private void abortReload(String why) {
        Reload failed = reload;
        reload = null;
        for (WorkerHandle worker : workers.matching(w -> w.generation() == failed.generation())) {
            control.abandon(worker);
        }
        failed.failed(generation, why);
        if (state != State.STOPPING && state != State.STOPPED) {
            notifier.reloadEnded("reload failed, generation " + generation + " keeps serving: " + why + "; "
                    + serviceStatus());
        }
    }

    /** Sets the number of workers; extra ones drain before they stop. */
    String scale(int wanted) throws ControlCommands.Refused {
        if (state != State.RUNNING) {
            throw new ControlCommands.Refused("cannot scale while " + state.name().toLowerCase(Locale.ROOT));
        }
        if (reload != null) {
            throw new ControlCommands.Refused("cannot scale during a reload");
        }
        if (wanted < 1) {
            throw new ControlCommands.Refused("at least one worker is needed; use stop to stop");
        }
        int before = targetWorkers;
        targetWorkers = wanted;
        for (WorkerHandle worker : workers.matching(w -> w.index() > wanted)) {
            worker.endCause("scale");
            control.stop(worker);
        }
        log.info("scaled from {} to {} workers", before, wanted);
        return "workers: " + before + " -> " + wanted + "\n";
    }

    int targetWorkers() {
        return targetWorkers;
    }

    void stopRequested(boolean now) {
        if (now) {
            halt("halt requested by herd ctl", ExitCodes.OK);
        } else {
            stop(config.gracefulTimeout());
        }
    }

    StatusReport status() {
        String reloading = reload == null ? null : "reloading to generation " + reload.generation();
        StatusReport.MasterView view = new StatusReport.MasterView(pid, state.name().toLowerCase(Locale.ROOT),
                generation, targetWorkers, servers.listeners().addresses().stream().map(BindAddress::toString).toList(),
                System.nanoTime() - startedNanos, reloading, stateDescription(),
                config.get(Settings.STATE).equals("local") ? servers.stateServer().stats() : null);
        List<WorkerHandle> sorted = workers.matching(w -> true).stream()
                .sorted(java.util.Comparator.comparingInt(WorkerHandle::generation)
                        .thenComparingInt(WorkerHandle::index))
                .toList();
        return new StatusReport(view, sorted, System.nanoTime());
    }

    /** The live picture now (herd ctl top, the dashboard), as JSON. */
    String liveJson() {
        StatusReport status = status();
        return metrics.liveJson(status.master(), status.workers(), System.nanoTime());
    }

    /** The metrics exposition now (admin listener). */
    String metricsText(boolean openMetrics) {
        return metrics.render(openMetrics, workers.matching(w -> true), servers.listeners().addresses(),
                config.get(Settings.BACKLOG), System.nanoTime());
    }

    /** For the health probes: started once the first generation was ready; ready while it serves. */
    AdminBackend.Health health() {
        boolean serving = state == State.RUNNING && workers.count(generation, WorkerHandle.State.READY) > 0;
        return new AdminBackend.Health(state != State.STARTING, serving);
    }

    private String stateDescription() {
        String state = config.get(Settings.STATE);
        // A Redis URL may carry a password: status shows where, never the secret.
        return state.equals("local") ? servers.stateServer().describe() : state.replaceFirst("//[^@/]*@", "//***@");
    }

    private void spawnWorker(int index, int workerGeneration, Config workerConfig) {
        try {
            control.spawn(index, workerGeneration, workerConfig, Math.max(targetWorkers, index));
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
        notifier.stopping("stopping: " + workers.size() + " workers drain for up to " + grace.toSeconds() + " s");
        if (reload != null) {
            abortReload("the server is stopping");
        }
        for (WorkerHandle worker : workers) {
            control.stop(worker);
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
        workers.killAll();
        state = State.STOPPED;
    }

    private void cleanUp() {
        servers.close();
        notifier.close();
    }

    // ---- small helpers ----------------------------------------------------------------------

    /** The service manager's status line: "generation 3, 4/4 ready, 7 in flight". */
    private String serviceStatus() {
        int inFlight = workers.matching(w -> true).stream().mapToInt(WorkerHandle::inFlight).sum();
        return (state == State.STOPPING ? "stopping, " : state == State.STARTING ? "starting, " : "")
                + "generation " + generation + ", " + workers.count(generation, WorkerHandle.State.READY) + "/"
                + targetWorkers + " ready, " + inFlight + " in flight";
    }

    private String listenAddresses() {
        return String.join(",", servers.listeners().addresses().stream().map(BindAddress::toString).toList());
    }
}
