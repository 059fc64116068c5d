package dev.herd.api.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One visitor's session, loaded by {@link Sessions#load} and written back by
 * {@link Sessions#save}. Attributes are strings. Not thread-safe: it belongs to one request.
 *
 * <p>Two requests of one session that change it at once: the later save wins, as with most
 * session stores.
 */
public final class Session {

    private final String id;
    private final boolean secure;
    private final Map<String, String> attributes;
    private boolean changed;
    private boolean rotate;
    private boolean invalidated;

    Session(String id, boolean secure, Map<String, String> attributes) {
        this.id = id;
        this.secure = secure;
        this.attributes = new LinkedHashMap<>(attributes);
    }

    /** The id the client sent and the store knew, or empty for a session not stored yet. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** True when the request brought no known session. */
    public boolean isNew() {
        return id == null;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    public Session put(String name, String value) {
        if (!value.equals(attributes.put(name, value))) {
            changed = true;
        }
        return this;
    }

    public Session remove(String name) {
        if (attributes.remove(name) != null) {
            changed = true;
        }
        return this;
    }

    public Map<String, String> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /**
     * Gives the session a new id when it is saved (the old one is deleted). Call it when the
     * user logs in, so that an id planted before the login (session fixation) is worth nothing.
     */
    public Session rotateId() {
        rotate = true;
        changed = true;
        return this;
    }

    /** Ends the session at save: its data is deleted and the client is told to drop the cookie. */
    public Session invalidate() {
        invalidated = true;
        attributes.clear();
        return this;
    }

    boolean secure() {
        return secure;
    }

    boolean changed() {
        return changed;
    }

    boolean rotate() {
        return rotate;
    }

    boolean invalidated() {
        return invalidated;
    }

    Map<String, String> data() {
        return attributes;
    }
}
