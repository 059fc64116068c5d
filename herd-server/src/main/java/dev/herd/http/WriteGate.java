package dev.herd.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Back-pressure for the app's writes on one connection (a streamed body, a WebSocket): a write's
 * stage completes at once while the connection's unsent output is under its high-water mark,
 * else once it has drained below the low-water mark. Never an unbounded queue held for an app
 * that waits for its stages; one that does not wait is refused past {@link #RUNAWAY_BYTES}
 * unsent, and its owner cuts the connection. Event loop only.
 */
public final class WriteGate {

    /** Unsent output past which a writer that ignores its stages is cut off. */
    public static final long RUNAWAY_BYTES = 16L * 1024 * 1024;

    private final Channel channel;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();

    public WriteGate(Channel channel) {
        this.channel = channel;
    }

    /**
     * Settles {@code stage}, the stage of a write just made: completed now, or parked until the
     * connection drains.
     *
     * @return false when the writer ran past {@link #RUNAWAY_BYTES} or the connection is closed:
     *         the stage has failed, and the owner should cut the connection
     */
    public boolean admit(CompletableFuture<Void> stage) {
        if (!channel.isActive()) {
            stage.completeExceptionally(new IOException("the connection is closed"));
            return false;
        }
        if (channel.isWritable()) {
            stage.complete(null);
            return true;
        }
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (unsent != null && unsent.totalPendingWriteBytes() > RUNAWAY_BYTES) {
            stage.completeExceptionally(new IOException("over " + RUNAWAY_BYTES
                    + " bytes unsent: the app writes without waiting for its stages"));
            return false;
        }
        waiting.add(stage);
        return true;
    }

    /**
     * Call when the channel's writability changed. Netty tells of it from inside its flush; a
     * writer resumed right there, writing while each write's stage completed at once, was seen to
     * queue 16 MiB past a 256 KiB high-water mark (async, 1 GiB). So the writers resume in a task
     * of their own, after the flush, and only while the connection is still writable.
     */
    public void writabilityChanged() {
        if (channel.isWritable() && !waiting.isEmpty()) {
            channel.eventLoop().execute(this::resume);
        }
    }

    private void resume() {
        CompletableFuture<Void> stage;
        while (channel.isWritable() && (stage = waiting.poll()) != null) {
            stage.complete(null);
        }
    }

    /** Fails every parked stage: the stream or the connection is over. */
    public void failAll(String why) {
        CompletableFuture<Void> stage;
        while ((stage = waiting.poll()) != null) {
            stage.completeExceptionally(new IOException(why));
        }
    }
}
