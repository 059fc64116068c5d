package dev.herd.http.files;

import java.util.Locale;

/**
 * The {@code range} request header field of RFC 9110 section 14.2, read against a representation's length.
 *
 * <p>herd answers one range only. A request for several ranges would need a {@code multipart/byteranges} body,
 * which cannot be written with a single {@code sendfile}, and its main users (download managers, PDF viewers)
 * cope with the whole file. RFC 9110 section 14.2 lets a server ignore {@code range} altogether, so a request
 * for two or more ranges is answered 200 with the whole file, like a request without the field.
 *
 * <p>The field is likewise ignored when its unit is not {@code bytes} or its syntax is invalid; the RFC treats a
 * {@code last-pos} smaller than its {@code first-pos} as invalid (not unsatisfiable), and so do we. Numbers too
 * large for a {@code long} are treated as invalid too: no file is that large, and refusing them keeps every
 * later sum from overflowing. A well-formed single range that selects nothing of the file is unsatisfiable:
 * a {@code first-pos} at or past the end, a zero-length suffix, or any range of an empty file (an empty file has
 * no byte to point at, and RFC 9110 section 14.1.3 leaves only a suffix range nominally satisfiable there, which
 * still could not be expressed as a {@code content-range}).
 */
public final class RangeHeader {

    /** What a {@code range} field asks of a given representation. */
    public sealed interface Result permits Ignored, Satisfiable, Unsatisfiable {
    }

    /** No usable range: send the whole representation with 200. */
    public record Ignored() implements Result {
    }

    /** One range that overlaps the representation: send {@code range} with 206. */
    public record Satisfiable(ByteRange range) implements Result {
    }

    /** One range that selects none of the representation: answer 416. */
    public record Unsatisfiable() implements Result {
    }

    public static final Result NONE = new Ignored();
    public static final Result UNSATISFIABLE = new Unsatisfiable();

    private RangeHeader() {
    }

    /**
     * What the {@code range} field value {@code header} (null when the request has none) asks of a
     * representation of {@code size} bytes.
     */
    public static Result parse(String header, long size) {
        if (header == null) {
            return NONE;
        }
        String value = trimOws(header);
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).toLowerCase(Locale.ROOT).equals("bytes")) {
            return NONE;
        }
        // range-set = 1#range-spec: split on commas, tolerating OWS and the empty elements RFC 9110 5.6.1
        // asks recipients to accept. A comma cannot appear inside a byte-range-spec, so splitting is exact.
        String spec = null;
        for (String element : value.substring(equals + 1).split(",", -1)) {
            String trimmed = trimOws(element);
            if (trimmed.isEmpty()) {
                continue;
            }
            if (spec != null) {
                return NONE;
            }
            spec = trimmed;
        }
        return spec == null ? NONE : rangeSpec(spec, size);
    }

    /** One {@code int-range} ({@code a-b}, {@code a-}) or {@code suffix-range} ({@code -n}). */
    private static Result rangeSpec(String spec, long size) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return NONE;
        }
        if (dash == 0) {
            long suffix = number(spec, 1, spec.length());
            if (suffix < 0) {
                return NONE;
            }
            if (suffix == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            long length = Math.min(suffix, size);
            return new Satisfiable(new ByteRange(size - length, length));
        }
        long first = number(spec, 0, dash);
        if (first < 0) {
            return NONE;
        }
        long last = Long.MAX_VALUE;
        if (dash < spec.length() - 1) {
            last = number(spec, dash + 1, spec.length());
            if (last < first) {
                return NONE; // a negative result (not a number) or last-pos < first-pos: invalid, not unsatisfiable
            }
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        long end = Math.min(last, size - 1);
        return new Satisfiable(new ByteRange(first, end - first + 1));
    }

    /** The 1*DIGIT in {@code s[from, to)} as a number, or -1 when empty, not all ASCII digits, or over a long. */
    private static long number(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** {@code s} without the optional whitespace (spaces and tabs) at either end. */
    private static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
