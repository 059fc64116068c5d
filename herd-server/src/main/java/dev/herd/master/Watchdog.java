package dev.herd.master;

import dev.herd.config.Config;
import dev.herd.ipc.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The master's deadlines for its workers: a serving worker whose heartbeat stopped for
 * {@code --timeout}, or a worker still booting past {@code --boot-timeout}, is given up on;
 * a worker given up on dies when its kill time comes. Runs on the master's loop thread.
 */
final class Watchdog {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    /** Time a timed-out worker gets to print its thread dump before it is killed. */
    private static final long DUMP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A worker given up on, and when it is to be killed. */
    record Verdict(WorkerHandle worker, long killAtNanos) {
    }

    private Watchdog() {
    }

    /**
     * The workers past a deadline. A hung one is told to stop accepting and asked for its
     * thread dump here; the caller marks each for killing.
     */
    static List<Verdict> overdue(Iterable<WorkerHandle> workers, long now) {
        List<Verdict> verdicts = new ArrayList<>();
        for (WorkerHandle worker : workers) {
            Config own = worker.config();
            switch (worker.state()) {
                case READY, RETIRING, STOPPING -> {
                    long silentNanos = now - worker.lastHeartbeatNanos();
                    if (silentNanos > own.timeout().toNanos()) {
                        log.error("{} timed out: no heartbeat for {} ms; thread dump follows, then kill",
                                worker, TimeUnit.NANOSECONDS.toMillis(silentNanos));
                        // Its event loop may still accept (only a handler hangs): stop that first,
                        // or connections accepted in the next DUMP_NANOS die with it.
                        if (worker.connection() != null) {
                            worker.connection().send(new Message.StopAccepting());
                        }
                        WorkerLauncher.requestThreadDump(worker.pid());
                        verdicts.add(new Verdict(worker, now + DUMP_NANOS));
                    }
                }
                case BOOTING -> {
                    if (now - worker.spawnedNanos() > own.bootTimeout().toNanos()) {
                        log.error("{} did not boot within {} s; killing", worker, own.bootTimeout().toSeconds());
                        verdicts.add(new Verdict(worker, now));
                    }
                }
                case KILLED -> { }
            }
        }
        return verdicts;
    }

    /** Kills the workers given up on whose time has come. */
    static void destroyDue(Iterable<WorkerHandle> workers, long now) {
        for (WorkerHandle worker : workers) {
            if (worker.state() == WorkerHandle.State.KILLED && now - worker.killAtNanos() >= 0) {
                worker.process().destroyForcibly();
            }
        }
    }
}
