package dev.herd.master;

import dev.herd.ipc.ControlConnection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Every worker process the master has and has not reaped yet, of every generation. Loop thread only. */
final class WorkerPool implements Iterable<WorkerHandle> {

    private final List<WorkerHandle> workers = new ArrayList<>();

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

    @Override
    public Iterator<WorkerHandle> iterator() {
        return List.copyOf(workers).iterator();
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
