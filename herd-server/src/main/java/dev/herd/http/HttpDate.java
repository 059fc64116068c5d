package dev.herd.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Date} header value, formatted at most once per second and shared by every loop. */
final class HttpDate {

    private record Cached(long second, String text) {
    }

    private static volatile Cached cached = new Cached(-1, "");

    private HttpDate() {
    }

    static String now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Cached c = cached;
        if (c.second() != second) {
            c = new Cached(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC)));
            cached = c;
        }
        return c.text();
    }
}
