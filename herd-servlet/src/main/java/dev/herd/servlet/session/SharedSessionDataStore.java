package dev.herd.servlet.session;

import dev.herd.api.state.SharedState;
import dev.herd.api.state.StateException;
import dev.herd.api.state.StateLimits;
import dev.herd.api.state.StateUnavailableException;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionData;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Jetty's sessions in herd's shared state, so that every worker (and every host on the same
 * Redis) sees the same {@code HttpSession}. One value per session, under
 * {@code jetty-session:<context path>:<virtual host>:<id>}, kept {@link #LINGER} past the
 * session's own expiry so that Jetty's scavenger can still find expired sessions (and tell the
 * app's listeners) before the store drops them by itself.
 *
 * <p>A save that changes attributes is a plain put: when two workers change the same session at
 * once, the last one wins, as with Jetty's JDBC and file stores. A save that only moves the
 * session's access time and expiry (Jetty makes one as each request leaves the session, after the
 * attributes went out when the response was committed) must not carry this request's attributes
 * back over a newer request's: it is merged into whatever the store holds now, by
 * compare-and-set, and is dropped if the session is gone. A plain put there lost visits whenever
 * one worker's end-of-request save landed after the next request's save on the other worker.
 */
final class SharedSessionDataStore extends AbstractSessionDataStore {

    static final String PREFIX = "jetty-session:";
    /** How long a session's value outlives its expiry. */
    static final Duration LINGER = Duration.ofHours(1);
    /** Compare-and-set rounds for a save of the access time only; losing them all means others wrote. */
    private static final int TOUCH_ATTEMPTS = 8;

    private final SharedState state;

    SharedSessionDataStore(SharedState state) {
        this.state = state;
    }

    private String prefix() {
        return PREFIX + _context.getCanonicalContextPath() + ":" + _context.getVhost() + ":";
    }

    private String key(String id) {
        return prefix() + id;
    }

    @Override
    public SessionData doLoad(String id) throws Exception {
        Optional<byte[]> value;
        try {
            value = state.get(key(id));
        } catch (StateException failure) {
            // Jetty would log this and go on as if the client had sent no session.
            SessionOutage.failed(id, failure instanceof StateUnavailableException outage ? outage
                    : new StateUnavailableException("the session store failed: " + failure.getMessage(), failure));
            throw failure;
        }
        if (value.isEmpty()) {
            return null;
        }
        SessionData data = SessionCodec.decode(value.get());
        // Saved before, by someone: this tells doStore that a save without changed attributes
        // is a touch of a stored session, not the first save of a new one.
        data.setLastSaved(Math.max(1, data.getAccessed()));
        return data;
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        if (!data.isDirty() && lastSaveTime > 0) {
            // This request's own save at commit already carried its access time; the end of a
            // short request moves only the expiry, by less than a second: no round trip for it.
            if (data.getAccessed() <= lastSaveTime && System.currentTimeMillis() - lastSaveTime < 1000) {
                return;
            }
            touch(id, data);
            return;
        }
        state.put(key(id), checkedSize(id, SessionCodec.encode(data)), timeToLive(data, System.currentTimeMillis()));
    }

    /**
     * Saves {@code data}'s times into the stored session, keeping the stored attributes: the
     * times of whichever of the two was accessed last win.
     */
    private void touch(String id, SessionData data) throws Exception {
        String key = key(id);
        for (int attempt = 0; attempt < TOUCH_ATTEMPTS; attempt++) {
            Optional<byte[]> current = state.get(key);
            if (current.isEmpty()) {
                return; // invalidated or expired meanwhile: a touch does not bring it back
            }
            SessionData stored = SessionCodec.decode(current.get());
            if (!later(data, stored)) {
                return;
            }
            stored.setAccessed(data.getAccessed());
            stored.setLastAccessed(data.getLastAccessed());
            stored.setMaxInactiveMs(data.getMaxInactiveMs());
            stored.setExpiry(data.getExpiry());
            byte[] update = checkedSize(id, SessionCodec.encode(stored));
            if (state.compareAndSet(key, current.get(), update, timeToLive(stored, System.currentTimeMillis()))) {
                return;
            }
        }
        // Others saved this session in every round, each with times at least as late as ours.
    }

    /**
     * Whether {@code data} has times worth saving over {@code stored}'s: it was accessed later, or
     * it is the same access and the request's end moved the expiry by a second or more (a long
     * request; the few milliseconds of a short one are not worth a write).
     */
    static boolean later(SessionData data, SessionData stored) {
        if (data.getAccessed() != stored.getAccessed()) {
            return data.getAccessed() > stored.getAccessed();
        }
        return data.getMaxInactiveMs() != stored.getMaxInactiveMs()
                || data.getExpiry() - stored.getExpiry() >= 1000;
    }

    private static byte[] checkedSize(String id, byte[] value) {
        if (value.length > StateLimits.MAX_VALUE_BYTES) {
            throw new SessionTooLargeException(id, value.length);
        }
        return value;
    }

    /** Null (no expiry) for a session that never expires; else its time left, and the linger. */
    static Duration timeToLive(SessionData data, long now) {
        if (data.getMaxInactiveMs() <= 0 || data.getExpiry() <= 0) {
            return null;
        }
        return Duration.ofMillis(Math.max(0, data.getExpiry() - now)).plus(LINGER);
    }

    @Override
    public boolean delete(String id) throws Exception {
        return state.delete(key(id));
    }

    @Override
    public boolean doExists(String id) throws Exception {
        SessionData data = doLoad(id);
        return data != null && (data.getExpiry() <= 0 || data.getExpiry() > System.currentTimeMillis());
    }

    /** Of the sessions this worker's cache holds: which have expired (or are gone). */
    @Override
    public Set<String> doCheckExpired(Set<String> candidates, long time) {
        Set<String> expired = new HashSet<>();
        for (String id : candidates) {
            try {
                SessionData data = doLoad(id);
                if (data == null || (data.getExpiry() > 0 && data.getExpiry() <= time)) {
                    expired.add(id);
                }
            } catch (Exception e) {
                // Unreadable or unreachable now: the next scavenge asks again.
            }
        }
        return expired;
    }

    /** Sessions of this context that expired before {@code before}, whoever last served them. */
    @Override
    public Set<String> doGetExpired(long before) {
        Set<String> expired = new HashSet<>();
        String prefix = prefix();
        try {
            for (String key : state.keys(prefix)) {
                String id = key.substring(prefix.length());
                SessionData data = doLoad(id);
                if (data != null && data.getExpiry() > 0 && data.getExpiry() <= before) {
                    expired.add(id);
                }
            }
        } catch (Exception e) {
            // The store is away: nothing is lost, the sessions wait for the next scavenge.
        }
        return expired;
    }

    /** Nothing to do: a session's value expires {@link #LINGER} after the session by itself. */
    @Override
    public void doCleanOrphans(long time) {
    }

    @Override
    public boolean isPassivating() {
        return true;
    }
}
