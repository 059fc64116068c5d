package dev.herd.state.local;

import dev.herd.api.state.StateException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The master's store: keys to byte values with an optional expiry, least recently used first.
 * Confined to one thread (the state server's event loop), like Redis's: every command is atomic
 * without a lock, which is what makes increments from many workers exact.
 *
 * <p>Memory: each key counts its UTF-8 bytes, its value's bytes and {@link #ENTRY_OVERHEAD}; past
 * {@code maxBytes} the least recently used keys are evicted (a read counts as a use). Expired keys
 * are gone for readers at once and are swept from memory every {@link StateServer} tick.
 *
 * <p>Every change goes to the {@link Journal} (the state file, or nowhere) in the order applied.
 */
final class StateStore {

    /** A rough price of a key's bookkeeping (map node, entry object, expiry index). */
    static final int ENTRY_OVERHEAD = 96;

    /** What a change to the store looks like to the state file. */
    interface Journal {
        Journal NONE = new Journal() {
            @Override
            public void put(String key, byte[] value, long expiresAt) {
            }

            @Override
            public void delete(String key) {
            }

            @Override
            public void expire(String key, long expiresAt) {
            }
        };

        void put(String key, byte[] value, long expiresAt);

        void delete(String key);

        void expire(String key, long expiresAt);
    }

    private static final class Entry {
        final String key;
        final int keyBytes;
        final long order;
        byte[] value;
        /** Epoch milliseconds; 0 for never. */
        long expiresAt;

        Entry(String key, long order) {
            this.key = key;
            this.keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
            this.order = order;
        }

        long size() {
            return keyBytes + value.length + ENTRY_OVERHEAD;
        }
    }

    private static final Comparator<Entry> BY_EXPIRY =
            Comparator.<Entry>comparingLong(e -> e.expiresAt).thenComparingLong(e -> e.order);

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private final TreeSet<Entry> expiring = new TreeSet<>(BY_EXPIRY);
    private final long maxBytes;
    private final LongSupplier clock;
    private Journal journal = Journal.NONE;
    private long orders;
    private long bytes;
    private long evictions;
    private long expirations;

    StateStore(long maxBytes, LongSupplier clock) {
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    void journal(Journal journal) {
        this.journal = journal;
    }

    Optional<byte[]> get(String key) {
        Entry entry = live(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value);
    }

    void put(String key, byte[] value, long ttl) {
        set(key, value, deadline(ttl));
    }

    boolean putIfAbsent(String key, byte[] value, long ttl) {
        if (live(key) != null) {
            return false;
        }
        set(key, value, deadline(ttl));
        return true;
    }

    boolean compareAndSet(String key, byte[] expected, byte[] update, long ttl) {
        Entry entry = live(key);
        boolean matches = expected == null ? entry == null : entry != null && Arrays.equals(entry.value, expected);
        if (!matches) {
            return false;
        }
        if (update == null) {
            if (entry != null) {
                remove(entry);
                journal.delete(key);
            }
        } else {
            set(key, update, deadline(ttl));
        }
        return true;
    }

    long increment(String key, long delta) {
        Entry entry = live(key);
        long current = 0;
        if (entry != null) {
            try {
                current = Long.parseLong(new String(entry.value, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new StateException("the value of " + key + " is not a decimal integer");
            }
        }
        long next;
        try {
            next = Math.addExact(current, delta);
        } catch (ArithmeticException e) {
            throw new StateException("incrementing " + key + " by " + delta + " would overflow a 64-bit integer");
        }
        // An increment keeps the key's time to live, as Redis's INCRBY does.
        set(key, Long.toString(next).getBytes(StandardCharsets.US_ASCII), entry == null ? 0 : entry.expiresAt);
        return next;
    }

    boolean delete(String key) {
        Entry entry = live(key);
        if (entry == null) {
            return false;
        }
        remove(entry);
        journal.delete(key);
        return true;
    }

    boolean expire(String key, long ttl) {
        Entry entry = live(key);
        if (entry == null) {
            return false;
        }
        setExpiry(entry, deadline(ttl));
        journal.expire(key, entry.expiresAt);
        return true;
    }

    List<String> keys(String prefix) {
        long now = clock.getAsLong();
        List<String> keys = new ArrayList<>();
        // Iterating does not count as a use (the entry set's iteration leaves the access order be).
        for (Entry entry : entries.values()) {
            if (entry.key.startsWith(prefix) && !expired(entry, now)) {
                keys.add(entry.key);
            }
        }
        return keys;
    }

    /** Drops expired keys from memory; readers never saw them anyway. Returns how many. */
    int sweep() {
        long now = clock.getAsLong();
        int swept = 0;
        while (!expiring.isEmpty() && expiring.first().expiresAt <= now) {
            remove(expiring.first());
            expirations++;
            swept++;
        }
        return swept;
    }

    /**
     * A change read back from the state file: applied without journaling, and a key whose time
     * ran out while the master was down is not brought back.
     */
    void restorePut(String key, byte[] value, long expiresAt) {
        if (expiresAt != 0 && expiresAt <= clock.getAsLong()) {
            restoreDelete(key);
            return;
        }
        Journal saved = journal;
        journal = Journal.NONE;
        try {
            set(key, value, expiresAt);
        } finally {
            journal = saved;
        }
    }

    void restoreDelete(String key) {
        Entry entry = entries.get(key);
        if (entry != null) {
            remove(entry);
        }
    }

    void restoreExpire(String key, long expiresAt) {
        Entry entry = entries.get(key);
        if (entry != null) {
            setExpiry(entry, expiresAt);
        }
    }

    /** Every live key, least recently used first (a snapshot's order, so recency survives it). */
    void forEachLive(Journal sink) {
        long now = clock.getAsLong();
        for (Entry entry : entries.values()) {
            if (!expired(entry, now)) {
                sink.put(entry.key, entry.value, entry.expiresAt);
            }
        }
    }

    int keyCount() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    long evictions() {
        return evictions;
    }

    long expirations() {
        return expirations;
    }

    // ---- inside ---------------------------------------------------------------------------------

    private long deadline(long ttl) {
        return ttl == 0 ? 0 : clock.getAsLong() + ttl;
    }

    private static boolean expired(Entry entry, long now) {
        return entry.expiresAt != 0 && entry.expiresAt <= now;
    }

    /** The key's entry if it is there and not expired (an expired one is dropped now); a use. */
    private Entry live(String key) {
        Entry entry = entries.get(key);
        if (entry != null && expired(entry, clock.getAsLong())) {
            remove(entry);
            expirations++;
            return null;
        }
        return entry;
    }

    private void set(String key, byte[] value, long expiresAt) {
        Entry entry = entries.get(key);
        if (entry == null) {
            entry = new Entry(key, orders++);
            entry.value = value;
            entries.put(key, entry);
        } else {
            bytes -= entry.size();
            entry.value = value;
        }
        bytes += entry.size();
        setExpiry(entry, expiresAt);
        journal.put(key, value, expiresAt);
        evictOver(entry);
    }

    private void setExpiry(Entry entry, long expiresAt) {
        if (entry.expiresAt != 0) {
            expiring.remove(entry);
        }
        entry.expiresAt = expiresAt;
        if (expiresAt != 0) {
            expiring.add(entry);
        }
    }

    /** Evicts the least recently used keys until the store fits, never the one just written. */
    private void evictOver(Entry keep) {
        Iterator<Entry> eldest = entries.values().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Entry victim = eldest.next();
            if (victim == keep) {
                continue;
            }
            eldest.remove();
            forget(victim);
            evictions++;
            journal.delete(victim.key);
        }
    }

    private void remove(Entry entry) {
        entries.remove(entry.key);
        forget(entry);
    }

    private void forget(Entry entry) {
        bytes -= entry.size();
        if (entry.expiresAt != 0) {
            expiring.remove(entry);
        }
    }
}
