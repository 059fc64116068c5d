package dev.herd.http;

import io.netty.channel.ChannelHandlerContext;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One of a connection's timeouts, scheduled on the connection's own event loop (no extra
 * thread, and the task runs where the connection's state lives). Arming replaces the previous
 * deadline. Event loop only. Tasks still check the connection's state when they run: a
 * deadline and the event that makes it moot can be queued on the loop at the same moment.
 */
final class ConnectionTimer {

    private ScheduledFuture<?> deadline;

    void arm(ChannelHandlerContext ctx, Duration delay, Runnable task) {
        cancel();
        deadline = ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
