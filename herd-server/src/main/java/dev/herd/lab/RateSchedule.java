package dev.herd.lab;

/**
 * When each request of a constant-rate run was meant to be sent: the k-th at
 * {@code start + k / rate}. Latency is measured from that intended time, not from when a
 * connection became free to send it, so a server that stalls is charged for every request that
 * queued behind the stall (the coordinated-omission correction of wrk2 and HdrHistogram).
 */
final class RateSchedule {

    private final long startNanos;
    private final double intervalNanos;
    private long issued;

    RateSchedule(long startNanos, double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + perSecond);
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / perSecond;
    }

    /** The intended send time of the next request, which may already be past (the run is behind). */
    long nextIntended() {
        return startNanos + (long) (issued * intervalNanos);
    }

    /** Takes the next request's slot; returns its intended send time. */
    long take() {
        long intended = nextIntended();
        issued++;
        return intended;
    }

    long issued() {
        return issued;
    }
}
