package dev.herd.api;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link AsyncHandler} may use to stay off the blocking path. herd creates it; an app
 * never implements it.
 */
public interface AsyncContext {

    /**
     * Runs blocking work on a helper thread outside the event loop. The returned stage
     * completes on the calling event loop with the task's result or exception.
     */
    <T> CompletionStage<T> offload(Callable<T> blockingTask);

    /** A stage that completes on the calling event loop after {@code delay}, using no thread meanwhile. */
    CompletionStage<Void> delay(Duration delay);
}
