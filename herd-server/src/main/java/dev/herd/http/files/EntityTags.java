package dev.herd.http.files;

import java.util.ArrayList;
import java.util.List;

/**
 * Entity-tag lists as {@code if-match} and {@code if-none-match} carry them (RFC 9110 section 8.8.3), and the
 * two comparison functions of section 8.8.3.2.
 *
 * <p>The list is scanned rather than split on commas because {@code etagc} allows a comma inside the quotes.
 * Scanning stops at the first element that is not an entity-tag and keeps the tags before it: for
 * {@code if-match} fewer tags can only fail the condition (412, the safe answer to a request whose
 * precondition we cannot read), and for {@code if-none-match} fewer tags can only send the full
 * representation instead of a 304, which is always correct.
 */
final class EntityTags {

    private EntityTags() {
    }

    /** An entity-tag: its opaque-tag with the quotes, and whether it carried the {@code W/} weakness mark. */
    record Tag(boolean weak, String opaque) {

        /** Parses one tag, e.g. {@code W/"x"}; null when {@code text} is not exactly one entity-tag. */
        static Tag parse(String text) {
            List<Tag> tags = new ArrayList<>();
            int end = scan(text, 0, tags);
            return end == text.length() && tags.size() == 1 ? tags.getFirst() : null;
        }
    }

    /** Whether the field value is {@code *}, which matches any current representation. */
    static boolean isAny(String fieldValue) {
        return fieldValue.strip().equals("*");
    }

    /** The entity-tags of a list field value, up to the first element that is not one. */
    static List<Tag> parseList(String fieldValue) {
        List<Tag> tags = new ArrayList<>();
        int i = 0;
        int length = fieldValue.length();
        while (i < length) {
            i = skipOws(fieldValue, i);
            if (i < length && fieldValue.charAt(i) == ',') {
                i++; // an empty list element, which recipients accept
                continue;
            }
            if (i == length) {
                break;
            }
            int end = scan(fieldValue, i, tags);
            if (end < 0) {
                break;
            }
            i = skipOws(fieldValue, end);
            if (i < length && fieldValue.charAt(i) != ',') {
                break;
            }
            i++;
        }
        return tags;
    }

    /** Strong comparison: both tags strong and their opaque-tags identical. */
    static boolean strongMatch(Tag a, String b) {
        Tag other = Tag.parse(b);
        return other != null && !a.weak() && !other.weak() && a.opaque().equals(other.opaque());
    }

    /** Weak comparison: opaque-tags identical, whatever the weakness marks. */
    static boolean weakMatch(Tag a, String b) {
        Tag other = Tag.parse(b);
        return other != null && a.opaque().equals(other.opaque());
    }

    /**
     * Reads one entity-tag starting at {@code from} into {@code into}; returns the index after it, or -1 when
     * there is no well-formed tag there.
     */
    private static int scan(String s, int from, List<Tag> into) {
        int i = from;
        boolean weak = s.startsWith("W/", i);
        if (weak) {
            i += 2;
        }
        if (i >= s.length() || s.charAt(i) != '"') {
            return -1;
        }
        int close = i + 1;
        while (close < s.length() && isEtagc(s.charAt(close))) {
            close++;
        }
        if (close >= s.length() || s.charAt(close) != '"') {
            return -1;
        }
        into.add(new Tag(weak, s.substring(i, close + 1)));
        return close + 1;
    }

    /** {@code etagc = %x21 / %x23-7E / obs-text}: visible characters but the quote, or obs-text. */
    private static boolean isEtagc(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
    }

    private static int skipOws(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
