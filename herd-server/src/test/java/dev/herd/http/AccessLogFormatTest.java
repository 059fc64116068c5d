package dev.herd.http;

import dev.herd.config.Settings;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every atom of the access log format, the default format, and the escaping of client data. */
class AccessLogFormatTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2000-10-10T20:55:36Z"), ZoneOffset.ofHours(-7));

    private static AccessLogEntry entry() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/apache_pb.gif?a=1&b=2");
        request.headers().set("Referer", "http://example.com/start").set("User-Agent", "curl/8.5")
                .set("X-Request-Id", "abc-123");
        HttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set("Content-Type", "text/plain");
        return new AccessLogEntry(request, new InetSocketAddress("192.0.2.7", 4242), response, 2326,
                TimeUnit.MICROSECONDS.toNanos(1_234_567));
    }

    private static String format(String format, AccessLogEntry entry) {
        return AccessLogFormat.compile(format, CLOCK, 4711).format(entry);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "%(h)s              | 192.0.2.7",
        "%(l)s              | -",
        "%(u)s              | -",
        "%(t)s              | [10/Oct/2000:13:55:36 -0700]",
        "%(r)s              | POST /apache_pb.gif?a=1&b=2 HTTP/1.1",
        "%(m)s              | POST",
        "%(U)s              | /apache_pb.gif",
        "%(q)s              | a=1&b=2",
        "%(H)s              | HTTP/1.1",
        "%(s)s              | 200",
        "%(B)s              | 2326",
        "%(b)s              | 2326",
        "%(f)s              | http://example.com/start",
        "%(a)s              | curl/8.5",
        "%(T)s              | 1",
        "%(M)s              | 1234",
        "%(D)s              | 1234567",
        "%(L)s              | 1.234567",
        "%(p)s              | 4711",
        "%({x-request-id}i)s | abc-123",
        "%({X-Missing}i)s   | -",
        "%({content-type}o)s | text/plain",
        "%(nope)s           | -",
        "100%% %(s)s        | 100% 200",
        "%d %(s)          | %d %(s)",
    })
    void atom(String format, String expected) {
        assertThat(format(format, entry())).isEqualTo(expected);
    }

    @Test
    void defaultFormatIsGunicorns() {
        String format = Settings.ACCESS_LOG_FORMAT.fallback();
        assertThat(format(format, entry())).isEqualTo("192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
                + "\"POST /apache_pb.gif?a=1&b=2 HTTP/1.1\" 200 2326 \"http://example.com/start\" \"curl/8.5\"");
    }

    @Test
    void emptyBodyAndUnknownRequest() {
        HttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT);
        AccessLogEntry unread = new AccessLogEntry(null, null, response, 0, 0);
        assertThat(format("%(h)s \"%(r)s\" %(m)s %(U)s %(q)s|%(H)s %(s)s %(B)s %(b)s %(a)s", unread))
                .isEqualTo("- \"-\" - - |- 408 0 - -");
    }

    @Test
    void clientDataCannotBreakTheLineOrForgeAField() {
        // Headers without Netty's validation, so that the escaping is tested on its own.
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        request.headers().set("User-Agent", "evil\" 200 \\ \u0001 caf\u00e9");
        AccessLogEntry entry = new AccessLogEntry(request, null, entry().response(), 1, 0);
        assertThat(format("\"%(a)s\"", entry)).isEqualTo("\"evil\\\" 200 \\\\ \\x01 caf\\xe9\"");
    }
}
