package dev.herd.exec;

import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.app.AppInstance;
import dev.herd.http.ResponseSink;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Calls the app on a thread that may block, for the {@code sync}, {@code threads} and
 * {@code virtual} models: its {@code Handler} when it has one, else its {@code AsyncHandler}
 * with the stage awaited on this thread.
 */
final class BlockingInvoker {

    private final AppInstance app;
    private final BlockingAsyncContext asyncContext = new BlockingAsyncContext();
    private final LongLivedWork longLived;

    /** @param longLived the pool's count of threads held by streams and WebSockets; null when not a fixed pool */
    BlockingInvoker(AppInstance app, LongLivedWork longLived) {
        this.app = app;
        this.longLived = longLived;
    }

    /**
     * Runs on the model's thread; never throws: failures go to the sink. An interrupt means
     * {@code --request-timeout} passed: the client already has its 503, and the app's
     * InterruptedException (or whatever it ends with) is dropped by the sink.
     */
    void invoke(Request request, ResponseSink sink) {
        if (!sink.started()) {
            return;
        }
        if (app.exchangeHandler() != null) {
            app.exchangeHandler().handle(request, sink);
            return;
        }
        try {
            Response response = app.handler() != null ? app.handler().handle(request)
                    : app.asyncHandler().handleAsync(request, asyncContext).toCompletableFuture().get();
            if (response == null) {
                sink.complete(null);
            } else {
                // A streamed body's writer runs here too: this thread may block.
                ResponseBodies.deliver(response, sink, null, longLived);
            }
        } catch (ExecutionException | CompletionException e) {
            sink.fail(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sink.fail(e);
        } catch (Throwable t) {
            sink.fail(t);
        }
    }
}
