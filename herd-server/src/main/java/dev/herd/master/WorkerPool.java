package dev.herd.master;

import dev.herd.ipc.ControlConnection;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every worker process the master has and has not reaped yet, of every generation. Changed by
 * the master's loop only; read from the JVM's exit hook too ({@link #killAll}), so the list is
 * copied on write, which costs nothing at the rate workers come and go.
 */
final class WorkerPool implements Iterable<WorkerHandle> {

    private final List<WorkerHandle> workers = new CopyOnWriteArrayList<>();

    void add(WorkerHandle worker) {
        workers.add(worker);
    }

    void remove(WorkerHandle worker) {
        workers.remove(worker);
    }

    boolean isEmpty() {
        return workers.isEmpty();
    }

    int size() {
        return workers.size();
    }

    /** Over the workers as they are now: the pool may change meanwhile. */
    @Override
    public Iterator<WorkerHandle> iterator() {
        return workers.iterator();
    }

    /** Kills every worker at once (SIGKILL) and waits up to 2 s for each to be gone. */
    void killAll() {
        List<WorkerHandle> all = List.copyOf(workers);
        for (WorkerHandle worker : all) {
            worker.process().destroyForcibly();
        }
        for (WorkerHandle worker : all) {
            try {
                worker.process().waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    List<WorkerHandle> matching(Predicate<WorkerHandle> filter) {
        return workers.stream().filter(filter).toList();
    }

    Optional<WorkerHandle> byConnection(ControlConnection connection) {
        return workers.stream().filter(w -> w.connection() == connection).findFirst();
    }

    Optional<WorkerHandle> byPid(long pid) {
        return workers.stream().filter(w -> w.pid() == pid).findFirst();
    }

    /** Whether a booting or serving worker of {@code generation} holds {@code slot}. */
    boolean slotHeld(int slot, int generation) {
        return workers.stream().anyMatch(w -> w.index() == slot && w.generation() == generation && w.holdsSlot());
    }

    long count(int generation, WorkerHandle.State state) {
        return workers.stream().filter(w -> w.generation() == generation && w.state() == state).count();
    }
}
