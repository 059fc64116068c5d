package dev.herd.http;

import io.netty.handler.codec.http.HttpHeaderNames;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * An access log line format in Gunicorn's syntax ({@code %(h)s %(r)s ...}, listed in
 * docs/access-log.md), compiled once into a list of parts so that formatting a line does no
 * parsing. As in Gunicorn, an unknown atom prints {@code -} and {@code %%} prints {@code %}.
 *
 * <p>Values that come from the client (request line, headers) are escaped: {@code "} and
 * {@code \} get a backslash, control and non-ASCII bytes become {@code \xHH}, so a request can
 * neither break a line in two nor forge a field. Thread-safe; formats on the caller's thread.
 */
final class AccessLogFormat {

    @FunctionalInterface
    private interface Part {
        void append(StringBuilder line, AccessLogEntry entry);
    }

    private static final DateTimeFormatter GUNICORN_TIME =
            DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ENGLISH);

    private final List<Part> parts;
    private final Clock clock;
    private final String pid;
    private volatile CachedTime cachedTime = new CachedTime(Long.MIN_VALUE, "");

    private record CachedTime(long second, String text) {
    }

    private AccessLogFormat(String format, Clock clock, long pid) {
        this.clock = clock;
        this.pid = Long.toString(pid);
        this.parts = parse(format);
    }

    static AccessLogFormat compile(String format) {
        return new AccessLogFormat(format, Clock.systemDefaultZone(), ProcessHandle.current().pid());
    }

    /** For tests: a fixed clock (its zone is the log's time zone) and pid. */
    static AccessLogFormat compile(String format, Clock clock, long pid) {
        return new AccessLogFormat(format, clock, pid);
    }

    /** One line, without the line break. */
    String format(AccessLogEntry entry) {
        StringBuilder line = new StringBuilder(128);
        for (Part part : parts) {
            part.append(line, entry);
        }
        return line.toString();
    }

    private List<Part> parse(String format) {
        List<Part> compiled = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            int close = c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '('
                    ? format.indexOf(")s", i + 2) : -1;
            if (c == '%' && i + 1 < format.length() && format.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
            } else if (close >= 0) {
                if (!literal.isEmpty()) {
                    String text = literal.toString();
                    compiled.add((line, entry) -> line.append(text));
                    literal.setLength(0);
                }
                compiled.add(atom(format.substring(i + 2, close)));
                i = close + 2;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            String text = literal.toString();
            compiled.add((line, entry) -> line.append(text));
        }
        return List.copyOf(compiled);
    }

    private Part atom(String name) {
        if (name.startsWith("{") && name.length() > 3 && name.charAt(name.length() - 2) == '}') {
            String header = name.substring(1, name.length() - 2);
            return switch (name.charAt(name.length() - 1)) {
                case 'i' -> requestHeader(header);
                case 'o' -> (line, e) -> escaped(line, e.response().headers().get(header));
                default -> (line, e) -> line.append('-');
            };
        }
        return switch (name) {
            case "h" -> (line, e) -> line.append(e.remoteAddress() == null ? "-"
                    : e.remoteAddress().getAddress().getHostAddress());
            case "l", "u" -> (line, e) -> line.append('-');
            case "t" -> (line, e) -> line.append(time());
            case "r" -> (line, e) -> escaped(line, e.request() == null ? null
                    : e.request().method().name() + " " + e.request().uri() + " " + e.request().protocolVersion());
            case "m" -> (line, e) -> escaped(line, e.request() == null ? null : e.request().method().name());
            case "U" -> (line, e) -> escaped(line, e.request() == null ? null : path(e.request().uri()));
            case "q" -> (line, e) -> escaped(line, e.request() == null ? "" : query(e.request().uri()));
            case "H" -> (line, e) -> line.append(e.request() == null ? "-" : e.request().protocolVersion().text());
            case "s" -> (line, e) -> line.append(e.response().status().code());
            case "B" -> (line, e) -> line.append(e.bodyBytes());
            case "b" -> (line, e) -> line.append(e.bodyBytes() == 0 ? "-" : Long.toString(e.bodyBytes()));
            case "f" -> requestHeader(HttpHeaderNames.REFERER);
            case "a" -> requestHeader(HttpHeaderNames.USER_AGENT);
            case "T" -> (line, e) -> line.append(TimeUnit.NANOSECONDS.toSeconds(e.durationNanos()));
            case "M" -> (line, e) -> line.append(TimeUnit.NANOSECONDS.toMillis(e.durationNanos()));
            case "D" -> (line, e) -> line.append(TimeUnit.NANOSECONDS.toMicros(e.durationNanos()));
            case "L" -> (line, e) -> line.append(decimalSeconds(e.durationNanos()));
            case "p" -> (line, e) -> line.append(pid);
            default -> (line, e) -> line.append('-');
        };
    }

    private static Part requestHeader(CharSequence name) {
        return (line, e) -> escaped(line, e.request() == null ? null : e.request().headers().get(name));
    }

    private String time() {
        Instant now = clock.instant();
        CachedTime cached = cachedTime;
        if (cached.second() != now.getEpochSecond()) {
            cached = new CachedTime(now.getEpochSecond(), GUNICORN_TIME.format(now.atZone(clock.getZone())));
            cachedTime = cached;
        }
        return cached.text();
    }

    private static String decimalSeconds(long nanos) {
        long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private static String query(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }

    /** Appends {@code value} escaped, or {@code -} when it is null. */
    private static void escaped(StringBuilder line, String value) {
        if (value == null) {
            line.append('-');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                line.append(c > 0xff ? String.format("\\u%04x", (int) c) : String.format("\\x%02x", (int) c));
            } else {
                line.append(c);
            }
        }
    }
}
