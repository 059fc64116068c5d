package dev.herd.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One of a connection's timeouts, scheduled on the connection's own event loop (no extra
 * thread, and the task runs where the connection's state lives). Arming replaces the previous
 * deadline. Event loop only. Tasks still check the connection's state when they run: a
 * deadline and the event that makes it moot can be queued on the loop at the same moment.
 *
 * <p>Lazy, as Netty's IdleStateHandler: a keep-alive connection arms and cancels its timers on
 * every request, and scheduling and cancelling a task each time (an allocation and two priority
 * queue operations on the loop) showed in the profile of {@code /hello}. So arming only moves
 * the deadline; the scheduled task is replaced only when the new deadline is earlier than it,
 * and when it fires early it schedules itself again for the rest. Cancelling forgets the task.
 */
final class ConnectionTimer {

    private ScheduledFuture<?> scheduled;
    /** When the scheduled task will fire, on the loop's ticker. */
    private long scheduledAtNanos;
    /** The armed deadline and its task; {@code task == null}: not armed. */
    private long deadlineNanos;
    private Runnable task;

    void arm(ChannelHandlerContext ctx, Duration delay, Runnable task) {
        arm(ctx, ctx.executor().ticker().nanoTime(), delay, task);
    }

    /** @param nowNanos the loop's ticker now, when the caller has just read it */
    void arm(ChannelHandlerContext ctx, long nowNanos, Duration delay, Runnable task) {
        EventExecutor loop = ctx.executor();
        this.task = task;
        this.deadlineNanos = nowNanos + delay.toNanos();
        if (scheduled == null || deadlineNanos - scheduledAtNanos < 0) {
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            schedule(loop, nowNanos, delay.toNanos());
        }
    }

    void cancel() {
        task = null;
    }

    private void schedule(EventExecutor loop, long nowNanos, long delayNanos) {
        scheduledAtNanos = nowNanos + delayNanos;
        scheduled = loop.schedule(() -> fire(loop), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void fire(EventExecutor loop) {
        scheduled = null;
        Runnable due = task;
        if (due == null) {
            return;
        }
        long now = loop.ticker().nanoTime();
        long left = deadlineNanos - now;
        if (left > 0) {
            schedule(loop, now, left);
        } else {
            task = null;
            due.run();
        }
    }
}
