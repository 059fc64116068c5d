package dev.herd.state;

import dev.herd.api.state.StateUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A request whose app let a {@link StateUnavailableException} escape gets a 503, not a 500: the
 * app is fine, its store is not. The log says so in one line (no stack trace), at most once a
 * second with a count of the rest, so an outage under load does not flood the log.
 */
public final class StateOutages {

    private static final Logger log = LoggerFactory.getLogger(StateOutages.class);
    private static final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - 2_000_000_000L);
    private static final AtomicLong unlogged = new AtomicLong();

    private StateOutages() {
    }

    /** The outage behind {@code failure} (through any wrapping), or null if it is something else. */
    public static StateUnavailableException cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StateUnavailableException outage) {
                return outage;
            }
        }
        return null;
    }

    /** Logs that {@code what} got a 503 because of {@code outage}, rate-limited. */
    public static void answered503(Object what, StateUnavailableException outage) {
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= 1_000_000_000L && lastLogNanos.compareAndSet(last, now)) {
            long more = unlogged.getAndSet(0);
            log.warn("shared state unavailable, answered 503 to {}: {}{}", what, outage.getMessage(),
                    more == 0 ? "" : " (and " + more + " more requests since the last line)");
        } else {
            unlogged.incrementAndGet();
        }
    }
}
