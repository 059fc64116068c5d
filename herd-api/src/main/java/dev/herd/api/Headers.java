package dev.herd.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable HTTP header fields. Names are case-insensitive (stored lower-case); a name may
 * carry several values, in the order they arrived.
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(Map.of());

    private final Map<String, List<String>> fields;

    private Headers(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** No header fields. */
    public static Headers empty() {
        return EMPTY;
    }

    /** A builder that collects fields in order. */
    public static Builder builder() {
        return new Builder();
    }

    /** The first value of {@code name}, if present. */
    public Optional<String> first(String name) {
        List<String> values = fields.get(key(name));
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** All values of {@code name}, empty when absent. */
    public List<String> all(String name) {
        return fields.getOrDefault(key(name), List.of());
    }

    public boolean contains(String name) {
        return fields.containsKey(key(name));
    }

    /** The lower-case names present. */
    public Set<String> names() {
        return fields.keySet();
    }

    /** Number of distinct names. */
    public int size() {
        return fields.size();
    }

    public Map<String, List<String>> asMap() {
        return fields;
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Collects header fields; not thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> fields = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds one value to {@code name}, keeping earlier values. */
        public Builder add(String name, String value) {
            fields.computeIfAbsent(key(name), k -> new ArrayList<>(1)).add(value);
            return this;
        }

        /** Replaces every value of {@code name}. */
        public Builder set(String name, String value) {
            List<String> values = new ArrayList<>(1);
            values.add(value);
            fields.put(key(name), values);
            return this;
        }

        public Headers build() {
            if (fields.isEmpty()) {
                return EMPTY;
            }
            Map<String, List<String>> copy = new LinkedHashMap<>(fields.size() * 2);
            fields.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            return new Headers(Collections.unmodifiableMap(copy));
        }
    }
}
