package dev.herd.exec;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Thread naming and executor shutdown shared by the models. */
final class Threads {

    private Threads() {
    }

    /** Platform threads named {@code prefix-1}, {@code prefix-2}, ... */
    static ThreadFactory platform(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 1).factory();
    }

    static void shutdown(ExecutorService executor, Duration grace) {
        shutdown(List.of(executor), grace);
    }

    /** Lets the tasks of all {@code executors} run for up to {@code grace} in all, then interrupts them. */
    static void shutdown(Collection<ExecutorService> executors, Duration grace) {
        executors.forEach(ExecutorService::shutdown);
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            for (ExecutorService executor : executors) {
                if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    executor.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            executors.forEach(ExecutorService::shutdownNow);
            Thread.currentThread().interrupt();
        }
    }
}
