package dev.herd.http;

import dev.herd.http.files.HttpDates;
import io.netty.util.AsciiString;

import java.time.Instant;

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
            // IMF-fixdate (two-digit day); the JDK's RFC 1123 formatter writes "2 Dec" on the 2nd.
            c = new Cached(second, AsciiString.cached(HttpDates.format(Instant.ofEpochSecond(second))));
            cached = c;
        }
        return c.text();
    }
}
