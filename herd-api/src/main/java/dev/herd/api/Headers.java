package dev.herd.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Immutable HTTP header fields. Names are case-insensitive (stored lower-case); a name may
 * carry several values, in the order they arrived.
 *
 * <p>Kept as one flat array of name/value pairs, as most servers keep them: a request has a
 * handful of fields and is built once per request, so a scan beats building a map, and the
 * map view ({@link #asMap()}) is only made for callers that ask for it.
 */
public final class Headers {

    private static final String[] NONE = new String[0];
    private static final Headers EMPTY = new Headers(NONE);

    /** name0, value0, name1, value1, ...; names lower-case. */
    private final String[] fields;
    private volatile Map<String, List<String>> map;

    private Headers(String[] fields) {
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
        int i = indexOf(fields, fields.length, key(name), 0);
        return i < 0 ? Optional.empty() : Optional.of(fields[i + 1]);
    }

    /** All values of {@code name}, empty when absent. */
    public List<String> all(String name) {
        String key = key(name);
        int i = indexOf(fields, fields.length, key, 0);
        if (i < 0) {
            return List.of();
        }
        int next = indexOf(fields, fields.length, key, i + 2);
        if (next < 0) {
            return List.of(fields[i + 1]);
        }
        List<String> values = new ArrayList<>();
        for (; i >= 0; i = indexOf(fields, fields.length, key, i + 2)) {
            values.add(fields[i + 1]);
        }
        return Collections.unmodifiableList(values);
    }

    public boolean contains(String name) {
        return indexOf(fields, fields.length, key(name), 0) >= 0;
    }

    /** The lower-case names present. */
    public Set<String> names() {
        return asMap().keySet();
    }

    /** Number of distinct names. */
    public int size() {
        return asMap().size();
    }

    /** Every field, name (lower-case) and value, in the order they were added. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < fields.length; i += 2) {
            action.accept(fields[i], fields[i + 1]);
        }
    }

    /** The fields by name, each name in the place of its first field, with its values in order. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> view = map;
        if (view == null) {
            view = groupByName();
            map = view;
        }
        return view;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    private Map<String, List<String>> groupByName() {
        if (fields.length == 0) {
            return Map.of();
        }
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            grouped.computeIfAbsent(fields[i], k -> new ArrayList<>(1)).add(fields[i + 1]);
        }
        grouped.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(grouped);
    }

    private static int indexOf(String[] fields, int length, String key, int from) {
        for (int i = from; i < length; i += 2) {
            if (fields[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Collects header fields; not thread-safe. */
    public static final class Builder {
        private String[] fields = new String[16];
        private int length;

        private Builder() {
        }

        /** Adds one value to {@code name}, keeping earlier values. */
        public Builder add(String name, String value) {
            append(key(name), value);
            return this;
        }

        /**
         * Replaces every value of {@code name}: the new value takes the place of the first one,
         * and the others go.
         */
        public Builder set(String name, String value) {
            String key = key(name);
            int first = indexOf(fields, length, key, 0);
            if (first < 0) {
                append(key, value);
                return this;
            }
            fields[first + 1] = value;
            int kept = first + 2;
            for (int i = first + 2; i < length; i += 2) {
                if (!fields[i].equals(key)) {
                    fields[kept] = fields[i];
                    fields[kept + 1] = fields[i + 1];
                    kept += 2;
                }
            }
            Arrays.fill(fields, kept, length, null);
            length = kept;
            return this;
        }

        public Headers build() {
            return length == 0 ? EMPTY : new Headers(Arrays.copyOf(fields, length));
        }

        private void append(String key, String value) {
            if (value == null) {
                throw new NullPointerException("value of header " + key);
            }
            if (length == fields.length) {
                fields = Arrays.copyOf(fields, length * 2);
            }
            fields[length] = key;
            fields[length + 1] = value;
            length += 2;
        }
    }
}
