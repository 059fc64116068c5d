package dev.herd.api.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The limits every backend enforces before sending a command, so that all behave alike. */
public final class StateLimits {

    /** Longest key or channel name, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Largest value or published message, in bytes. */
    public static final int MAX_VALUE_BYTES = 1 << 20;

    private StateLimits() {
    }

    /** The key as UTF-8, or an exception that names the limit it breaks. */
    public static byte[] key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a key must not be empty");
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key of " + bytes.length + " bytes is over the key limit of "
                    + MAX_KEY_BYTES + " bytes");
        }
        return bytes;
    }

    /** A prefix for {@code keys}: may be empty, otherwise a key's limit. */
    public static byte[] prefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("a prefix must not be null (use \"\" for every key)");
        }
        return prefix.isEmpty() ? new byte[0] : key(prefix);
    }

    public static byte[] value(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("a value must not be null (delete the key instead)");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value of " + value.length + " bytes is over the value limit of "
                    + MAX_VALUE_BYTES + " bytes");
        }
        return value;
    }

    /** Milliseconds to live: 0 for none (null), else at least 1. */
    public static long ttlMillis(Duration ttl) {
        if (ttl == null) {
            return 0;
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a time to live must be positive (null means none), not " + ttl);
        }
        return Math.max(1, ttl.toMillis());
    }
}
