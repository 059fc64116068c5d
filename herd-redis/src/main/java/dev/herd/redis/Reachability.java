package dev.herd.redis;

import dev.herd.api.state.StateException;
import dev.herd.api.state.StateUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Whether Redis can be reached, as this worker's connections see it, and what each failure means
 * to an app: a store that is down or slow is {@link StateUnavailableException} (a 503), a command
 * Redis refuses is {@link StateException}. The log gets one warning when a connection is lost and
 * one line when all are back, not one per failed call or reconnect attempt.
 */
final class Reachability {

    private static final Logger LOG = LoggerFactory.getLogger("dev.herd.redis");

    /**
     * Errors Redis answers while it cannot serve for a while (loading its data at start, a script
     * running too long, a replica that lost its primary): as for a stopped Redis, retry later.
     */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "READONLY");

    /** What Lettuce says, at random, when Redis refused the handshake of a first connection. */
    private static final Set<String> HANDSHAKE_CLOSED =
            Set.of("Connection closed prematurely", "RedisHandshakeHandler not registered");

    private final String target;
    private final Duration timeout;
    private final Set<String> down = new HashSet<>();
    private String reason = "not connected yet";
    private boolean closed;

    Reachability(String target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
    }

    /** A connection (named by its role: commands, pub/sub) could not be made or was lost. */
    synchronized void lost(String role, String why) {
        if (closed) {
            return;
        }
        reason = why;
        boolean wasUp = down.isEmpty();
        if (down.add(role) && wasUp) {
            LOG.warn("{} is unreachable ({}, {} connection); shared state calls fail with StateUnavailableException"
                    + " (503) until it is back", target, why, role);
        }
    }

    /** A reconnect attempt failed: calls made until the next attempt say why. */
    synchronized void reconnectFailed(Throwable cause) {
        reason = reason(cause);
    }

    synchronized void back(String role) {
        if (!closed && down.remove(role) && down.isEmpty()) {
            LOG.info("{} is reachable again", target);
        }
    }

    /** From now on connections close on purpose: nothing to warn about. */
    synchronized void close() {
        closed = true;
    }

    /** For a call made while a connection is down: the reason is the latest known. */
    synchronized StateUnavailableException unreachable() {
        return unreachable(reason);
    }

    synchronized StateUnavailableException unreachable(String why) {
        return new StateUnavailableException(closed ? target + " is closed (the worker is stopping)"
                : target + " is unreachable: " + why);
    }

    /**
     * What {@code failure} of a call means to the app. {@code refused} words a Redis error reply
     * for the command at hand (an increment of a non-number, say).
     */
    StateException translate(Throwable failure, Function<String, StateException> refused) {
        Throwable e = unwrap(failure);
        return switch (e) {
            case StateException already -> already;
            case RedisCommandTimeoutException _, TimeoutException _ ->
                    new StateUnavailableException(target + " did not answer within " + timeout.toMillis() + " ms", e);
            case RedisCommandExecutionException error when isTransient(error.getMessage()) ->
                    new StateUnavailableException(target + " cannot serve now: " + error.getMessage(), e);
            case RedisCommandExecutionException error -> refused.apply(String.valueOf(error.getMessage()));
            case RedisConnectionException connect ->
                    new StateUnavailableException(target + " is unreachable: " + reason(connect), e);
            case RedisException redis when String.valueOf(redis.getMessage()).startsWith("Request queue size exceeded") ->
                    new StateUnavailableException(target + " is not keeping up: " + redis.getMessage(), e);
            // Rejected while disconnected, or in flight when the connection dropped (Lettuce's
            // "Currently not connected", "Connection disconnected", "Connection closed").
            case RedisException _, CancellationException _ -> withCause(unreachable(), e);
            default -> new StateException(target + ": " + e, e);
        };
    }

    private static StateUnavailableException withCause(StateUnavailableException exception, Throwable cause) {
        exception.initCause(cause);
        return exception;
    }

    private static boolean isTransient(String message) {
        if (message == null) {
            return false;
        }
        int space = message.indexOf(' ');
        return TRANSIENT_ERRORS.contains(space < 0 ? message : message.substring(0, space));
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * The innermost cause in a few words: "Connection refused", not "Unable to connect to ...:
     * finishConnect(..) failed with error(-111): Connection refused: localhost/127.0.0.1:6390".
     */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        if (HANDSHAKE_CLOSED.contains(message)) {
            // Lettuce loses Redis's answer (WRONGPASS, say) when it closes the connection fast.
            return "the connection closed during its handshake (HELLO, AUTH, SELECT): check the password, user and database";
        }
        // Netty's native transport names the system call first, and appends the address that the
        // message names already.
        return message.replaceFirst("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "")
                .replaceFirst(": \\S*/\\S*:\\d+$", "");
    }
}
