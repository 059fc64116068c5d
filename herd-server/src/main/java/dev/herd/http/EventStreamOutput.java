package dev.herd.http;

import dev.herd.api.EventStream;
import dev.herd.api.ServerSentEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code text/event-stream} over a streamed body: events encoded as the HTML standard says, a
 * comment as heartbeat whenever the app was quiet for a whole interval (proxies keep the
 * connection, and a client that went away is noticed by the failed write), and the stream ended
 * when the worker drains.
 */
final class EventStreamOutput implements EventStream {

    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final StreamingResponse body;
    private final String lastEventId;
    private volatile long lastSentNanos = System.nanoTime();
    private ScheduledFuture<?> heartbeat;

    EventStreamOutput(StreamingResponse body, String lastEventId) {
        this.body = body;
        this.lastEventId = lastEventId;
    }

    /** Starts the heartbeat on the connection's loop; it stops with the stream. */
    void startHeartbeat(io.netty.channel.EventLoop loop, Duration interval) {
        if (interval.isZero()) {
            return;
        }
        long nanos = interval.toNanos();
        heartbeat = loop.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastSentNanos >= nanos - nanos / 10) {
                send(HEARTBEAT);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        body.closed().whenComplete((ignored, error) -> heartbeat.cancel(false));
    }

    @Override
    public CompletionStage<Void> send(ServerSentEvent event) {
        return send(event.encode().getBytes(StandardCharsets.UTF_8));
    }

    private CompletionStage<Void> send(byte[] bytes) {
        lastSentNanos = System.nanoTime();
        return body.write(bytes);
    }

    @Override
    public void sendAndWait(ServerSentEvent event) throws IOException {
        body.await(send(event));
    }

    @Override
    public CompletionStage<Void> comment(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\r\n|\r|\n", -1)) {
            out.append(':').append(line).append('\n');
        }
        return send(out.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> lastEventId() {
        return Optional.ofNullable(lastEventId);
    }

    @Override
    public boolean isOpen() {
        return body.isOpen();
    }

    @Override
    public CompletionStage<Void> closed() {
        return body.closed();
    }

    @Override
    public CompletionStage<Void> end() {
        return body.end();
    }
}
