package dev.herd.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests of one worker that wait for the app: dispatched to the execution model, not yet
 * started (no free thread, or no turn under {@code --max-concurrency}). Bounded by
 * {@code --max-queue} and {@code --queue-timeout}: past either, a request is answered 503 with
 * {@code Retry-After} instead of waiting, as Passenger does when its request queue overflows, so
 * that an overloaded worker answers fast and a load balancer can try elsewhere.
 */
public final class RequestQueue {

    /** What the client is told to wait before trying again, in seconds. */
    static final String RETRY_AFTER = "1";

    private final int max;
    private final Duration timeout;
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @param max     most requests waiting at once; 0: no limit
     * @param timeout longest a request waits; zero: no limit
     */
    public RequestQueue(int max, Duration timeout) {
        this.max = max;
        this.timeout = timeout;
    }

    /** Takes a place; false when the queue is full and the request must be refused. */
    boolean enter() {
        if (max == 0) {
            waiting.incrementAndGet();
            return true;
        }
        while (true) {
            int now = waiting.get();
            if (now >= max) {
                return false;
            }
            if (waiting.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives the place back: the request started, expired, or was answered otherwise. */
    void leave() {
        waiting.decrementAndGet();
    }

    /** Requests waiting now. */
    public int waiting() {
        return waiting.get();
    }

    Duration timeout() {
        return timeout;
    }
}
