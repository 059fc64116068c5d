package dev.herd.api.state;

import dev.herd.api.Request;
import dev.herd.api.Response;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Sessions kept in {@link SharedState} behind a cookie, so a login made on one worker is seen by
 * all of them and survives a worker's crash, a reload and (with {@code --state-file} or Redis) a
 * restart.
 *
 * <p>The cookie holds only a random id (256 bits from {@link SecureRandom}); it is
 * {@code HttpOnly}, {@code SameSite=Lax}, {@code Path=/}, and {@code Secure} when the request
 * came over https (directly, or through a proxy trusted by {@code --forwarded-allow-ips}). It has
 * no {@code Max-Age}: it lasts as long as the browser session, while the server side slides: each
 * request that loads and saves the session gives it {@code timeout} to live again.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.create();
 * Session session = sessions.load(request);
 * session.put("user", name).rotateId();                    // a login
 * return sessions.save(session, Response.status(200)).body("hello").build();
 * }</pre>
 *
 * A session with no attributes that was never stored is not stored (no cookie for visitors who
 * log in to nothing).
 */
public final class Sessions {

    /** The default cookie name. */
    public static final String COOKIE = "herd_session";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<SharedState> state;
    private final String cookieName;
    private final Duration timeout;
    private final String keyPrefix;

    private Sessions(Builder builder) {
        this.state = builder.state;
        this.cookieName = builder.cookieName;
        this.timeout = builder.timeout;
        this.keyPrefix = builder.keyPrefix;
    }

    /** Cookie {@value #COOKIE}, 30 minutes of idle time, on this worker's shared state. */
    public static Sessions create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The request's session, or a new empty one. */
    public Session load(Request request) {
        boolean secure = "https".equalsIgnoreCase(request.scheme());
        Optional<String> id = cookieId(request);
        if (id.isEmpty()) {
            return new Session(null, secure, Map.of());
        }
        return state.get().get(keyPrefix + id.get())
                .map(bytes -> new Session(id.get(), secure, decode(bytes)))
                .orElseGet(() -> new Session(null, secure, Map.of()));
    }

    /** {@link #load} without blocking: for the {@code async} model. */
    public CompletionStage<Session> loadAsync(Request request) {
        boolean secure = "https".equalsIgnoreCase(request.scheme());
        Optional<String> id = cookieId(request);
        if (id.isEmpty()) {
            return CompletableFuture.completedFuture(new Session(null, secure, Map.of()));
        }
        return state.get().async().get(keyPrefix + id.get()).thenApply(value -> value
                .map(bytes -> new Session(id.get(), secure, decode(bytes)))
                .orElseGet(() -> new Session(null, secure, Map.of())));
    }

    /**
     * Writes the session back (or deletes it, once invalidated) and returns the
     * {@code Set-Cookie} value the response must carry, if any.
     */
    public Optional<String> save(Session session) {
        SharedState store = state.get();
        Optional<String> oldKey = session.id().map(id -> keyPrefix + id);
        if (session.invalidated()) {
            oldKey.ifPresent(store::delete);
            return oldKey.map(k -> cookie("", session.secure()) + "; Max-Age=0");
        }
        if (session.isNew() && session.data().isEmpty()) {
            return Optional.empty();
        }
        if (session.isNew() || session.rotate()) {
            String id = newId();
            store.put(keyPrefix + id, encode(session.data()), timeout);
            oldKey.ifPresent(store::delete);
            return Optional.of(cookie(id, session.secure()));
        }
        if (session.changed()) {
            store.put(oldKey.orElseThrow(), encode(session.data()), timeout);
        } else {
            store.expire(oldKey.orElseThrow(), timeout);
        }
        return Optional.empty();
    }

    /** {@link #save(Session)}, adding the cookie to {@code response}; returns it. */
    public Response.Builder save(Session session, Response.Builder response) {
        save(session).ifPresent(cookie -> response.header("Set-Cookie", cookie));
        return response;
    }

    /** {@link #save(Session)} without blocking. */
    public CompletionStage<Optional<String>> saveAsync(Session session) {
        AsyncSharedState store = state.get().async();
        Optional<String> oldKey = session.id().map(id -> keyPrefix + id);
        if (session.invalidated()) {
            return oldKey.isEmpty() ? CompletableFuture.completedFuture(Optional.empty())
                    : store.delete(oldKey.get()).thenApply(x -> Optional.of(cookie("", session.secure()) + "; Max-Age=0"));
        }
        if (session.isNew() && session.data().isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (session.isNew() || session.rotate()) {
            String id = newId();
            CompletionStage<Void> put = store.put(keyPrefix + id, encode(session.data()), timeout);
            CompletionStage<?> done = oldKey.isEmpty() ? put : put.thenCompose(x -> store.delete(oldKey.get()));
            return done.thenApply(x -> Optional.of(cookie(id, session.secure())));
        }
        CompletionStage<?> write = session.changed()
                ? store.put(oldKey.orElseThrow(), encode(session.data()), timeout)
                : store.expire(oldKey.orElseThrow(), timeout);
        return write.thenApply(x -> Optional.empty());
    }

    private Optional<String> cookieId(Request request) {
        for (String header : request.headers().all("Cookie")) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(cookieName)) {
                    String value = pair.substring(eq + 1).trim();
                    if (ID.matcher(value).matches()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private String cookie(String id, boolean secure) {
        return cookieName + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** u32 count, then each name and value as u32 length and UTF-8. */
    static byte[] encode(Map<String, String> attributes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(attributes.size());
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The attributes, or none for bytes that are not a session (another app's key, say). */
    static Map<String, String> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            if (count < 0 || count > data.length) {
                return Map.of();
            }
            Map<String, String> attributes = new java.util.LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                attributes.put(readString(in, data.length), readString(in, data.length));
            }
            return in.available() == 0 ? attributes : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, int max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IOException("bad length");
        }
        byte[] b = in.readNBytes(length);
        if (b.length != length) {
            throw new IOException("short");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    public static final class Builder {
        private Supplier<SharedState> state = SharedState::current;
        private String cookieName = COOKIE;
        private Duration timeout = Duration.ofMinutes(30);
        private String keyPrefix = "session:";

        private Builder() {
        }

        /** The store; the worker's {@link SharedState#current()} by default. */
        public Builder state(SharedState state) {
            Objects.requireNonNull(state);
            this.state = () -> state;
            return this;
        }

        public Builder cookieName(String cookieName) {
            if (!cookieName.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("not a cookie name: " + cookieName);
            }
            this.cookieName = cookieName;
            return this;
        }

        /** Idle time after which a session is gone; each saved request starts it again. */
        public Builder timeout(Duration timeout) {
            StateLimits.ttlMillis(Objects.requireNonNull(timeout));
            this.timeout = timeout;
            return this;
        }

        /** Prefix of the keys sessions are stored under; {@code session:} by default. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix);
            return this;
        }

        public Sessions build() {
            return new Sessions(this);
        }
    }
}
