package dev.herd.exec;

import java.time.Duration;
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
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
