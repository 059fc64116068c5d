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
 * <p>Writes are plain puts: when two workers save the same session at once, the last one wins,
 * as with Jetty's JDBC and file stores.
 */
final class SharedSessionDataStore extends AbstractSessionDataStore {

    static final String PREFIX = "jetty-session:";
    /** How long a session's value outlives its expiry. */
    static final Duration LINGER = Duration.ofHours(1);

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
        return value.isEmpty() ? null : SessionCodec.decode(value.get());
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        byte[] value = SessionCodec.encode(data);
        if (value.length > StateLimits.MAX_VALUE_BYTES) {
            throw new SessionTooLargeException(id, value.length);
        }
        state.put(key(id), value, timeToLive(data, System.currentTimeMillis()));
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
