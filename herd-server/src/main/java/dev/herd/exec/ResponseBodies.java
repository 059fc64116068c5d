package dev.herd.exec;

import dev.herd.api.BodyOutput;
import dev.herd.api.EventStream;
import dev.herd.api.Response;
import dev.herd.api.ResponseBody;
import dev.herd.api.WebSocketHandler;
import dev.herd.http.ResponseSink;
import dev.herd.http.ws.WebSocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Delivers an app's response to the sink, whatever its body: bytes and files go whole; a stream
 * or an event stream gets its header sent and then the app's writer runs. A blocking writer
 * runs on a thread that may block (the request's own under the blocking models, an offload
 * thread under {@code async}); a writer with stages runs where the response was produced and
 * the body ends when its stage completes.
 */
final class ResponseBodies {

    private static final Logger log = LoggerFactory.getLogger(ResponseBodies.class);

    private ResponseBodies() {
    }

    /**
     * @param blockingRunner where a blocking writer runs: null for "right here, this thread may block"
     */
    static void deliver(Response response, ResponseSink sink, Executor blockingRunner) throws Exception {
        deliver(response, sink, blockingRunner, null);
    }

    /**
     * @param longLived when the caller is a thread of a fixed pool (sync, threads) that a blocking
     *                  writer or WebSocket handler holds for long: it counts them; else null
     */
    static void deliver(Response response, ResponseSink sink, Executor blockingRunner, LongLivedWork longLived)
            throws Exception {
        switch (response.body()) {
            case ResponseBody.Bytes bytes -> sink.complete(response);
            case ResponseBody.File file -> sink.complete(response);
            case ResponseBody.Stream(var writer) -> {
                BodyOutput out = sink.stream(response);
                runBlocking(blockingRunner, longLived, () -> {
                    writer.writeTo(out);
                    out.end();
                }, sink);
            }
            case ResponseBody.AsyncStream(var writer) -> {
                BodyOutput out = sink.stream(response);
                endWhenDone(() -> writer.writeTo(out), out::end, sink);
            }
            case ResponseBody.Events(var writer) -> {
                EventStream events = sink.events(response);
                runBlocking(blockingRunner, longLived, () -> {
                    writer.writeTo(events);
                    events.end();
                }, sink);
            }
            case ResponseBody.AsyncEvents(var writer) -> {
                EventStream events = sink.events(response);
                endWhenDone(() -> writer.writeTo(events), events::end, sink);
            }
            case ResponseBody.BlockingWebSocket(var handler) -> {
                WebSocketConnection socket = sink.upgrade(response, null);
                if (socket == null) {
                    return;
                }
                if (longLived != null && longLived.onlyThread()) {
                    log.info("{} holds this sync worker's only thread until it closes: other requests wait"
                            + " (-k virtual or async serve many WebSockets per worker)", socket);
                }
                if (blockingRunner != null) {
                    blockingRunner.execute(() -> serveWebSocket(handler, socket));
                } else if (longLived == null) {
                    serveWebSocket(handler, socket);
                } else {
                    longLived.begin();
                    try {
                        serveWebSocket(handler, socket);
                    } finally {
                        longLived.end();
                    }
                }
            }
            case ResponseBody.AsyncWebSocket(var listener) -> sink.upgrade(response, listener);
        }
    }

    private static void serveWebSocket(WebSocketHandler handler, WebSocketConnection socket) {
        Throwable failure = null;
        try {
            handler.serve(socket);
        } catch (Throwable t) {
            failure = t;
            if (t instanceof java.io.IOException || t instanceof InterruptedException) {
                log.debug("{} ended: {}", socket, t.toString());
            } else {
                log.error("the app's WebSocket handler failed; closing {} with 1011", socket, t);
            }
        }
        socket.handlerDone(failure);
    }

    private interface Body {
        void write() throws Exception;
    }

    private static void runBlocking(Executor runner, LongLivedWork longLived, Body body, ResponseSink sink) {
        Runnable task = () -> {
            try {
                body.write();
            } catch (Throwable t) {
                writerFailed(t);
                sink.cut(t);
            }
        };
        if (runner != null) {
            runner.execute(task);
        } else if (longLived == null) {
            task.run();
        } else {
            longLived.begin();
            try {
                task.run();
            } finally {
                longLived.end();
            }
        }
    }

    private interface StageBody {
        CompletionStage<Void> start() throws Exception;
    }

    private static void endWhenDone(StageBody body, Runnable end, ResponseSink sink) {
        CompletionStage<Void> stage;
        try {
            stage = body.start();
        } catch (Throwable t) {
            writerFailed(t);
            sink.cut(t);
            return;
        }
        if (stage == null) {
            end.run();
            return;
        }
        stage.whenComplete((ignored, error) -> {
            if (error != null) {
                writerFailed(error);
                sink.cut(error);
            } else {
                end.run();
            }
        });
    }

    /**
     * A writer that throws once its header is out cannot turn into a 500 any more. A write that
     * failed because the client went away is routine; anything else is the app's error.
     */
    private static void writerFailed(Throwable t) {
        if (t instanceof java.io.IOException || t.getCause() instanceof java.io.IOException
                || t instanceof InterruptedException) {
            log.debug("a streamed response ended early: {}", t.toString());
        } else {
            log.error("the app's body writer failed after the response started; the body is cut short", t);
        }
    }
}
