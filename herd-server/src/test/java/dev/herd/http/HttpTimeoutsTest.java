package dev.herd.http;

import dev.herd.api.Response;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection timeouts on the production pipeline, with the event loop's clock moved by
 * hand: --keep-alive (idle between requests), --read-timeout (a started request must complete),
 * --request-timeout (the app must answer), and the quiet period before a draining worker
 * closes an idle connection.
 */
class HttpTimeoutsTest {

    private static final String GET = "GET /hello HTTP/1.1\nHost: x\n\n";

    private static Config config(Duration keepAlive, Duration read, Duration request) {
        return Config.defaults().with(Settings.KEEP_ALIVE, keepAlive).with(Settings.READ_TIMEOUT, read)
                .with(Settings.REQUEST_TIMEOUT, request);
    }

    private static TestConnection connection(Duration keepAlive, Duration read, Duration request) {
        return new TestConnection(config(keepAlive, read, request));
    }

    @Test
    void idleKeepAliveConnectionClosesAfterKeepAlive() {
        TestConnection c = connection(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ZERO);
        c.send(GET);
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").doesNotContainIgnoringCase("connection: close");
        c.advance(Duration.ofMillis(1990));
        assertThat(c.isOpen()).isTrue();
        c.advance(Duration.ofMillis(20));
        assertThat(c.isOpen()).isFalse();
        assertThat(c.output()).isEmpty();
    }

    @Test
    void eachRequestRestartsTheKeepAliveClock() {
        TestConnection c = connection(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ZERO);
        c.send(GET).advance(Duration.ofMillis(1500)).send(GET).advance(Duration.ofMillis(1500));
        assertThat(c.isOpen()).isTrue();
        assertThat(c.requests).hasSize(2);
        c.advance(Duration.ofMillis(600));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void zeroKeepAliveClosesAfterEveryResponse() {
        TestConnection c = connection(Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO);
        c.send(GET);
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close");
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void aRequestInTheAppIsNotIdle() {
        TestConnection c = connection(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO).holdResponses();
        c.send(GET).advance(Duration.ofSeconds(10));
        assertThat(c.isOpen()).isTrue();
        assertThat(c.output()).isEmpty();
        c.sinks.getFirst().complete(Response.text("late but fine"));
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").endsWith("late but fine");
        c.advance(Duration.ofMillis(1010));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void silentNewConnectionClosesAfterReadTimeoutWithoutAnAnswer() {
        TestConnection c = connection(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO);
        c.advance(Duration.ofMillis(4990));
        assertThat(c.isOpen()).isTrue();
        c.advance(Duration.ofMillis(20));
        assertThat(c.isOpen()).isFalse();
        assertThat(c.output()).isEmpty();
    }

    @Test
    void startedRequestMustCompleteWithinReadTimeoutElse408() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ZERO);
        c.send("GET /slow HTTP/1.1\nHost: x\n");
        c.advance(Duration.ofMillis(2000)).send("X-More: still typing\n").advance(Duration.ofMillis(990));
        assertThat(c.isOpen()).isTrue();
        c.advance(Duration.ofMillis(20));
        assertThat(c.output()).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
        assertThat(c.isOpen()).isFalse();
        assertThat(c.requests).isEmpty();
    }

    @Test
    void readTimeoutCountsFromTheFirstByteNotFromTheLastResponse() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ZERO);
        c.send(GET).output();
        c.advance(Duration.ofSeconds(4)).send("GET /next HTTP/1.1\n").advance(Duration.ofMillis(1990));
        assertThat(c.isOpen()).isTrue();
        c.send("Host: x\n\n");
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").endsWith("GET /next");
        c.advance(Duration.ofSeconds(3));
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void slowBodyGets408() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO);
        c.send("POST /upload HTTP/1.1\nHost: x\nContent-Length: 10\n\nhello");
        c.advance(Duration.ofMillis(1010));
        assertThat(c.output()).startsWith("HTTP/1.1 408 ");
        assertThat(c.isOpen()).isFalse();
        assertThat(c.requests).isEmpty();
    }

    @Test
    void slowAppDoesNotCountAgainstReadTimeout() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO).holdResponses();
        c.send(GET).advance(Duration.ofSeconds(3));
        assertThat(c.output()).isEmpty();
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void requestPastRequestTimeoutGets503AndItsHandlerIsCancelled() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(2))
                .holdResponses();
        c.send(GET).advance(Duration.ofMillis(1990));
        assertThat(c.output()).isEmpty();
        assertThat(c.cancelled).isEmpty();
        c.advance(Duration.ofMillis(20));
        assertThat(c.output()).startsWith("HTTP/1.1 503 ").containsIgnoringCase("connection: close");
        assertThat(c.cancelled).containsExactly(0);
        assertThat(c.isOpen()).isFalse();
        assertThat(c.stats.inFlight.get()).isZero();
        c.sinks.getFirst().complete(Response.text("too late"));
        assertThat(c.output()).isEmpty();
        assertThat(c.stats.requests.sum()).isEqualTo(1);
    }

    @Test
    void answerInTimeCancelsTheRequestTimeout() {
        TestConnection c = connection(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2))
                .holdResponses();
        c.send(GET).advance(Duration.ofSeconds(1));
        c.sinks.getFirst().complete(Response.text("in time"));
        assertThat(c.output()).startsWith("HTTP/1.1 200 ");
        c.advance(Duration.ofSeconds(5));
        assertThat(c.output()).isEmpty();
        assertThat(c.cancelled).isEmpty();
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void zeroRequestTimeoutNeverFires() {
        TestConnection c = connection(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ZERO).holdResponses();
        c.send(GET).advance(Duration.ofMinutes(10));
        assertThat(c.output()).isEmpty();
        assertThat(c.cancelled).isEmpty();
    }

    @Test
    void drainClosesAnIdleConnectionOnlyAfterOneQuietSecond() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ZERO);
        c.send(GET).output();
        c.advance(Duration.ofSeconds(3));
        drain(c);
        c.advance(Duration.ofMillis(990));
        assertThat(c.isOpen()).isTrue();
        c.advance(Duration.ofMillis(20));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void drainWaitsOnlyForKeepAliveWhenShorterThanASecond() {
        TestConnection c = connection(Duration.ofMillis(400), Duration.ofSeconds(30), Duration.ZERO);
        c.send(GET).output();
        drain(c);
        c.advance(Duration.ofMillis(390));
        assertThat(c.isOpen()).isTrue();
        c.advance(Duration.ofMillis(20));
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void requestArrivingDuringTheQuietPeriodIsServedWithConnectionClose() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ZERO);
        c.send(GET).output();
        drain(c);
        c.advance(Duration.ofMillis(500)).send(GET);
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close");
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void drainLetsARequestInTheAppFinishThenCloses() {
        TestConnection c = connection(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ZERO).holdResponses();
        c.send(GET);
        drain(c);
        c.advance(Duration.ofSeconds(10));
        assertThat(c.isOpen()).isTrue();
        c.sinks.getFirst().complete(Response.text("done"));
        assertThat(c.output()).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close");
        assertThat(c.isOpen()).isFalse();
    }

    private static void drain(TestConnection c) {
        c.stats.draining = true;
        c.channel.pipeline().fireUserEventTriggered(HttpRequestChannelHandler.DRAIN);
    }
}
