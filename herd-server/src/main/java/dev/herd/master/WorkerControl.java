package dev.herd.master;

import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.Message;
import dev.herd.logging.HerdLogging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * What the master does to its worker processes: starts one in a slot, welcomes it and hands it
 * the listening sockets, stops one gracefully, kills one at a deadline, gives up on one still
 * booting, and keeps the balancer told of each, in order with what the master sends. The
 * decisions (when, which) are the {@link Master}'s. Master loop only.
 */
final class WorkerControl {

    private static final Logger log = LoggerFactory.getLogger(WorkerControl.class);

    private final WorkerPool workers;
    private final MasterServers servers;
    private final MasterMetrics metrics;
    private final BlockingQueue<MasterEvent> events;

    WorkerControl(WorkerPool workers, MasterServers servers, MasterMetrics metrics, BlockingQueue<MasterEvent> events) {
        this.workers = workers;
        this.servers = servers;
        this.metrics = metrics;
        this.events = events;
    }

    /**
     * Starts a worker process for {@code index}; its exit comes back as an event.
     *
     * @param slots the slots there are now (per-slot sockets under --balance reuseport)
     */
    void spawn(int index, int generation, Config config, int slots) throws IOException {
        servers.listeners().prepareSlot(index);
        Process process = servers.launcher().spawn(config, index, generation, slots);
        WorkerHandle worker = new WorkerHandle(process, index, generation, config, System.nanoTime());
        workers.add(worker);
        balance(b -> b.expect(process.pid(), index));
        process.onExit().thenAccept(p -> events.add(new MasterEvent.WorkerExited(worker, p.exitValue())));
        log.info("spawned {} (generation {})", worker, generation);
        metrics.spawned(worker);
    }

    /** A process said Hello: if it is one of ours, it gets its configuration and the listen addresses. */
    void welcome(ControlConnection connection, long workerPid) {
        WorkerHandle worker = workers.byPid(workerPid).orElse(null);
        if (worker == null) {
            log.warn("a process that is not one of this master's workers connected (pid {}); closing", workerPid);
            connection.close();
            return;
        }
        worker.attach(connection);
        connection.send(new Message.Welcome(worker.config().toText(),
                servers.listeners().addresses().stream().map(BindAddress::toString).toList()));
    }

    void sendListeners(WorkerHandle worker) {
        try {
            worker.connection().sendDescriptors(servers.listeners().fdsFor(worker.index()));
        } catch (IOException e) {
            log.error("cannot make the listening sockets of slot {}: {}; {} cannot serve", worker.index(),
                    e.getMessage(), worker);
            kill(worker, System.nanoTime());
        }
    }

    /** Graceful stop of one worker: it drains, then exits; a booting one is simply killed. */
    void stop(WorkerHandle worker) {
        switch (worker.state()) {
            case READY, RETIRING -> {
                worker.stopping();
                // Retired first, on the same I/O loop that sends Stop: no connection is handed
                // to the worker after it was told to stop.
                balance(b -> b.retire(worker.pid()));
                worker.connection().send(new Message.Stop(worker.config().gracefulTimeout().toMillis()));
            }
            case BOOTING -> abandon(worker);
            case STOPPING, KILLED -> { }
        }
    }

    /** Marks the worker to be killed at {@code atNanos}; it gets no more connections. */
    void kill(WorkerHandle worker, long atNanos) {
        worker.killAt(atNanos);
        metrics.killed(worker, worker.endCause() == null ? "cannot serve" : worker.endCause());
        balance(b -> b.retire(worker.pid()));
    }

    /** Gives up on a booting worker (killed on purpose: not a failed boot). */
    void abandon(WorkerHandle worker) {
        worker.abandon(System.nanoTime());
        balance(b -> b.retire(worker.pid()));
    }

    /** USR1: the master's log files and every worker's are reopened (after logrotate moved them). */
    void reopenLogs() {
        HerdLogging.reopen();
        for (WorkerHandle worker : workers) {
            if (worker.connection() != null) {
                worker.connection().send(new Message.ReopenLogs());
            }
        }
        log.info("log files reopened");
    }

    /** Runs {@code action} on the balancer's loop, in order with everything the master sends; no-op under shared. */
    void balance(Consumer<Balancer> action) {
        Balancer target = servers.balancer();
        if (target != null) {
            servers.loop().execute(() -> action.accept(target));
        }
    }
}
