package dev.herd.http.files;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP-date (RFC 9110 section 5.6.7): formats the preferred IMF-fixdate and parses all three forms a
 * recipient must accept, IMF-fixdate, the obsolete RFC 850 form and C's asctime form.
 *
 * <p>The parser is written by hand rather than with {@code DateTimeFormatter.RFC_1123_DATE_TIME} because that
 * formatter accepts more than IMF-fixdate (offsets other than GMT, one-digit days, no weekday) and none of the
 * two obsolete forms. Validators compare dates to the second, so a lenient parse that shifted a date by a
 * zone offset would turn a 304 into a 200 or, worse, a stale 304. The weekday name must be a real one but
 * need not agree with the date: RFC 9110 asks recipients to be robust, and a mismatch tells us nothing.
 */
public final class HttpDates {

    private static final List<String> SHORT_DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAYS =
            List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    private HttpDates() {
    }

    /**
     * {@code instant} as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}; sub-second parts dropped.
     * Formatted by hand: a locale-driven formatter could localise the names, and the JDK's RFC 1123 formatter
     * writes one-digit days, which IMF-fixdate does not allow.
     */
    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            throw new IllegalArgumentException("an HTTP-date has a four-digit year: " + instant);
        }
        return String.format(Locale.ROOT, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                SHORT_DAYS.get(t.getDayOfWeek().ordinal()), t.getDayOfMonth(), MONTHS.get(t.getMonthValue() - 1),
                t.getYear(), t.getHour(), t.getMinute(), t.getSecond());
    }

    /**
     * The instant an HTTP-date names, or empty when {@code text} is null or not an HTTP-date in any of the three
     * forms (callers then ignore the header field, as RFC 9110 requires of the date-based preconditions).
     * Surrounding whitespace is tolerated, being no part of the field value.
     */
    public static Optional<Instant> parse(String text) {
        return parse(text, LocalDateTime.now(ZoneOffset.UTC).getYear());
    }

    /** {@link #parse(String)} with the current year given, which an RFC 850 date's two-digit year needs. */
    static Optional<Instant> parse(String text, int currentYear) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        int comma = s.indexOf(',');
        try {
            if (comma == 3) {
                return imfFixdate(s);
            } else if (comma > 3) {
                return rfc850(s, comma, currentYear);
            } else if (comma < 0) {
                return asctime(s);
            }
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}: exactly 29 characters. */
    private static Optional<Instant> imfFixdate(String s) {
        if (s.length() != 29 || !SHORT_DAYS.contains(s.substring(0, 3)) || !s.startsWith(", ", 3)
                || s.charAt(7) != ' ' || s.charAt(11) != ' ' || s.charAt(16) != ' ' || !s.endsWith(" GMT")) {
            return Optional.empty();
        }
        return dateTime(number(s, 12, 4), month(s, 8), number(s, 5, 2), s, 17);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}: a long weekday name, then 24 characters. */
    private static Optional<Instant> rfc850(String s, int comma, int currentYear) {
        if (!LONG_DAYS.contains(s.substring(0, comma)) || s.length() != comma + 24) {
            return Optional.empty();
        }
        String rest = s.substring(comma);
        if (!rest.startsWith(", ") || rest.charAt(4) != '-' || rest.charAt(8) != '-' || rest.charAt(11) != ' '
                || !rest.endsWith(" GMT")) {
            return Optional.empty();
        }
        int twoDigits = number(rest, 9, 2);
        if (twoDigits < 0) {
            return Optional.empty();
        }
        // RFC 9110: a two-digit year more than 50 years in the future means the most recent past year ending so.
        int year = currentYear - Math.floorMod(currentYear, 100) + twoDigits;
        if (year > currentYear + 50) {
            year -= 100;
        }
        return dateTime(year, month(rest, 5), number(rest, 2, 2), rest, 12);
    }

    /** {@code Sun Nov  6 08:49:37 1994}: the day is two digits or a space and one digit; exactly 24 characters. */
    private static Optional<Instant> asctime(String s) {
        if (s.length() != 24 || !SHORT_DAYS.contains(s.substring(0, 3)) || s.charAt(3) != ' ' || s.charAt(7) != ' '
                || s.charAt(10) != ' ' || s.charAt(19) != ' ') {
            return Optional.empty();
        }
        int day = s.charAt(8) == ' ' ? number(s, 9, 1) : number(s, 8, 2);
        return dateTime(number(s, 20, 4), month(s, 4), day, s, 11);
    }

    /** Builds the instant from the parts and the {@code HH:mm:ss} at {@code timeAt}; empty if any part is bad. */
    private static Optional<Instant> dateTime(int year, int month, int day, String s, int timeAt) {
        if (s.charAt(timeAt + 2) != ':' || s.charAt(timeAt + 5) != ':') {
            return Optional.empty();
        }
        int hour = number(s, timeAt, 2);
        int minute = number(s, timeAt + 3, 2);
        int second = number(s, timeAt + 6, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || second > 60) {
            return Optional.empty();
        }
        // The grammar allows a leap second (60), which java.time does not: count it as the second before.
        LocalDateTime time = LocalDateTime.of(year, month, day, hour, minute, Math.min(second, 59));
        return Optional.of(time.toInstant(ZoneOffset.UTC));
    }

    /** The 1-based month whose three-letter name starts at {@code at}, or -1. */
    private static int month(String s, int at) {
        int index = MONTHS.indexOf(s.substring(at, at + 3));
        return index < 0 ? -1 : index + 1;
    }

    /** The {@code digits} ASCII digits at {@code at} as a number, or -1 if any is not an ASCII digit. */
    private static int number(String s, int at, int digits) {
        int value = 0;
        for (int i = at; i < at + digits; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
