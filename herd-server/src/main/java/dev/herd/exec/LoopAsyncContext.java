package dev.herd.exec;

import dev.herd.api.AsyncContext;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link AsyncContext} of one request under the {@code async} model. Every stage it
 * returns completes on the request's event loop, so the app's continuations run there.
 */
final class LoopAsyncContext implements AsyncContext {

    private final ScheduledExecutorService loop;
    private final Executor offload;

    LoopAsyncContext(ScheduledExecutorService loop, Executor offload) {
        this.loop = loop;
        this.offload = offload;
    }

    @Override
    public <T> CompletionStage<T> offload(Callable<T> blockingTask) {
        CompletableFuture<T> result = new CompletableFuture<>();
        offload.execute(() -> {
            try {
                T value = blockingTask.call();
                loop.execute(() -> result.complete(value));
            } catch (Throwable t) {
                loop.execute(() -> result.completeExceptionally(t));
            }
        });
        return result;
    }

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.schedule(() -> result.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
        return result;
    }
}
