package dev.herd.http.ws;

import io.netty.channel.Channel;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a WebSocket's liveness: a ping every {@code --ws-ping-interval} (proxies and NATs drop
 * connections they see no traffic on), and the idle check, which reports a client heard from
 * for {@code --ws-idle-timeout} (any frame counts, pongs included). Time when herd itself is not
 * reading the socket (the app has not taken what came) does not count as the client's silence.
 * Event loop only.
 */
final class Liveness {

    private final Channel channel;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final Runnable ping;
    private final Runnable idle;
    private long lastHeardNanos;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> idleCheck;

    /**
     * @param ping run every {@code pingInterval} (zero: never)
     * @param idle run once when the client was silent for {@code idleTimeout} (zero: never)
     */
    Liveness(Channel channel, Duration pingInterval, Duration idleTimeout, Runnable ping, Runnable idle) {
        this.channel = channel;
        this.pingInterval = pingInterval;
        this.idleTimeout = idleTimeout;
        this.ping = ping;
        this.idle = idle;
    }

    void start() {
        lastHeardNanos = System.nanoTime();
        if (!pingInterval.isZero()) {
            long every = pingInterval.toNanos();
            pinger = channel.eventLoop().scheduleAtFixedRate(ping, every, every, TimeUnit.NANOSECONDS);
        }
        if (!idleTimeout.isZero()) {
            scheduleIdleCheck(idleTimeout.toNanos());
        }
    }

    /** The client sent a frame. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    void stop() {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = channel.eventLoop().schedule(this::idleCheck, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void idleCheck() {
        if (!channel.config().isAutoRead()) {
            lastHeardNanos = System.nanoTime(); // the silence is ours
        }
        long limit = idleTimeout.toNanos();
        long quiet = System.nanoTime() - lastHeardNanos;
        if (quiet < limit) {
            scheduleIdleCheck(limit - quiet);
        } else {
            idle.run();
        }
    }
}
