package dev.herd.examples;

import dev.herd.api.AsyncContext;
import dev.herd.api.AsyncHandler;
import dev.herd.api.Request;
import dev.herd.api.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An async app for {@code -k async}: {@code /later?ms=N} answers after a timer;
 * {@code /blocking?ms=N} runs a blocking call through {@code offload}, so it never runs on the
 * event loop.
 *
 * <pre>
 * ./herd serve -k async --app-jar examples/target/herd-examples.jar dev.herd.examples.AsyncClockApp
 * </pre>
 */
public final class AsyncClockApp implements AsyncHandler {

    @Override
    public CompletionStage<Response> handleAsync(Request request, AsyncContext context) {
        return switch (request.path()) {
            case "/later" -> {
                long ms = Long.parseLong(request.query("ms").orElse("100"));
                yield context.delay(Duration.ofMillis(ms)).thenApply(done -> Response.text(Instant.now() + "\n"));
            }
            case "/blocking" -> {
                long ms = Long.parseLong(request.query("ms").orElse("100"));
                yield context.offload(() -> {
                    Thread.sleep(ms); // stands for JDBC, a file, a legacy client...
                    return Thread.currentThread().getName();
                }).thenApply(helper -> Response.text("blocked " + ms + " ms on " + helper + "\n"));
            }
            default -> CompletableFuture.completedFuture(Response.text(Instant.now() + "\n"));
        };
    }
}
