package dev.herd.demo;

import java.util.concurrent.locks.ReentrantLock;

/**
 * An emulated global interpreter lock, one per worker process, for {@code herd lab --gil}: it
 * makes the demo app behave like a CPython app, so the lab can show Python's numbers next to
 * Java's. Like CPython's GIL it is held while the app computes, released around blocking calls,
 * and handed over every switch interval (5 ms, CPython's default) when another thread waits.
 * Turned on by {@code HERD_DEMO_GIL=1} in the worker's environment (the master passes its own
 * environment on); off, every method runs its work directly.
 */
final class Gil {

    /** CPython's {@code sys.getswitchinterval()} default. */
    static final long SWITCH_INTERVAL_NANOS = 5_000_000;

    static final Gil PROCESS = new Gil("1".equals(System.getenv("HERD_DEMO_GIL")));

    /** Fair, so a holder that lets go at a switch interval really hands over to the longest waiter. */
    private final ReentrantLock lock = new ReentrantLock(true);
    private final boolean enabled;

    Gil(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void acquire() {
        if (enabled) {
            lock.lock();
        }
    }

    void release() {
        if (enabled) {
            lock.unlock();
        }
    }

    /**
     * Called by computing code from time to time while it holds the lock: past the switch
     * interval, and only if someone waits, lets go and queues again behind the waiters.
     * Returns the new start of the holder's interval.
     */
    long yieldIfDue(long heldSinceNanos) {
        if (!enabled) {
            return heldSinceNanos;
        }
        long now = System.nanoTime();
        if (now - heldSinceNanos < SWITCH_INTERVAL_NANOS || !lock.hasQueuedThreads()) {
            return heldSinceNanos;
        }
        lock.unlock();
        lock.lock();
        return System.nanoTime();
    }

    /** A blocking call, made without the lock like CPython's I/O (the caller holds it before and after). */
    void blocking(Blocking call) throws InterruptedException {
        release();
        try {
            call.run();
        } finally {
            acquire();
        }
    }

    @FunctionalInterface
    interface Blocking {
        void run() throws InterruptedException;
    }
}
