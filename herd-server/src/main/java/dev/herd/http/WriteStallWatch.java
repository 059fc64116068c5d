package dev.herd.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices a client that stopped reading ({@code --write-timeout}): armed when the connection's
 * unsent output passes its high-water mark, it looks again after the timeout; if the client took
 * nothing meanwhile (the unsent bytes and the progress of the message being sent are unchanged)
 * the stall is reported, else it looks again later. Only a connection that stopped reading is
 * cut, never a slow one that still takes something. Event loop only.
 */
public final class WriteStallWatch {

    private final Channel channel;
    private final Duration timeout;
    private final Runnable stalled;
    private ScheduledFuture<?> check;
    private long unsentAtArm;
    private long progressAtArm;

    /**
     * @param timeout zero: never
     * @param stalled run on the loop when the client took nothing for {@code timeout}
     */
    public WriteStallWatch(Channel channel, Duration timeout, Runnable stalled) {
        this.channel = channel;
        this.timeout = timeout;
        this.stalled = stalled;
    }

    /** Call when the channel's writability changed. */
    public void writabilityChanged() {
        if (channel.isWritable()) {
            cancel();
        } else if (!timeout.isZero() && check == null) {
            arm();
        }
    }

    public void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void arm() {
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (unsent == null) {
            return;
        }
        unsentAtArm = unsent.totalPendingWriteBytes();
        progressAtArm = unsent.currentProgress();
        check = channel.eventLoop().schedule(this::look, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void look() {
        check = null;
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (unsent == null || channel.isWritable()) {
            return;
        }
        if (unsent.totalPendingWriteBytes() != unsentAtArm || unsent.currentProgress() != progressAtArm) {
            arm(); // slow, but taking it
            return;
        }
        stalled.run();
    }
}
