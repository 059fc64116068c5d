package dev.herd.http;

import io.netty.util.AsciiString;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header value, formatted at most once per second and shared by every loop;
 * as bytes ({@link AsciiString}), which the encoder copies whole.
 */
final class HttpDate {

    private record Cached(long second, AsciiString text) {
    }

    private static volatile Cached cached = new Cached(-1, AsciiString.EMPTY_STRING);

    private HttpDate() {
    }

    static AsciiString now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Cached c = cached;
        if (c.second() != second) {
            c = new Cached(second, AsciiString.cached(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC))));
            cached = c;
        }
        return c.text();
    }
}
