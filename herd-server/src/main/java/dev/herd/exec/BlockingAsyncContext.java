package dev.herd.exec;

import dev.herd.api.AsyncContext;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The {@link AsyncContext} an {@code AsyncHandler} gets under a blocking model: the calling
 * thread may block anyway, so offloaded work runs right there and delays use the JDK's timer.
 */
final class BlockingAsyncContext implements AsyncContext {

    @Override
    public <T> CompletionStage<T> offload(Callable<T> blockingTask) {
        try {
            return CompletableFuture.completedFuture(blockingTask.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, Runnable::run));
    }
}
