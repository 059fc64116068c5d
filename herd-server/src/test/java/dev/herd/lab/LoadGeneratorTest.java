package dev.herd.lab;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against a real server on loopback (the JDK's), one connection, one
 * server thread. The server stalls once for 500 ms; what the histogram makes of that stall is
 * the point: closed loop sees one slow request, constant rate charges every request that was
 * due during the stall (coordinated omission corrected).
 */
class LoadGeneratorTest {

    private static final Duration STALL = Duration.ofMillis(500);

    private HttpServer server;
    private ExecutorService executor;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicBoolean stallArmed = new AtomicBoolean();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        executor = Executors.newSingleThreadExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            if (exchange.getRequestURI().getPath().equals("/missing")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            if (stallArmed.compareAndSet(true, false)) {
                sleep(STALL.toMillis());
            }
            byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private LoadSpec spec(String path, double rate, Duration warmup, Duration duration) {
        return new LoadSpec("127.0.0.1", server.getAddress().getPort(), RequestMix.of(path), 1, rate, warmup,
                duration, 1);
    }

    @Test
    void closedLoopCountsAnswersInTheWindowOnly() throws Exception {
        LoadResult result = LoadGenerator.run(spec("/", 0, Duration.ofMillis(300), Duration.ofSeconds(1)));
        assertThat(result.requests()).isPositive();
        assertThat(result.errors()).isZero();
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.requests());
        // The warm-up's answers were served but not counted.
        assertThat(served.get()).isGreaterThan((int) result.requests());
        assertThat(result.throughput()).isEqualTo(result.requests() / 1.0);
    }

    @Test
    void closedLoopHidesAStallInOneSample() throws Exception {
        stallArmed.set(true);
        LoadResult result = LoadGenerator.run(spec("/", 0, Duration.ZERO, Duration.ofSeconds(2)));
        assertThat(result.maxMillis()).isGreaterThanOrEqualTo(STALL.toMillis() * 0.9);
        // Only the one request that met the stall is slow: the p99 of thousands of answers is not.
        assertThat(result.requests()).isGreaterThan(500);
        assertThat(result.requests() - countBelow(result, 100)).isLessThanOrEqualTo(3);
        assertThat(result.latencyMillis(99)).isLessThan(100);
    }

    @Test
    void constantRateChargesTheStallToEveryRequestThatWaited() throws Exception {
        stallArmed.set(true);
        // 200 req/s: a request every 5 ms, so about 100 were due during the 500 ms stall.
        LoadResult result = LoadGenerator.run(spec("/", 200, Duration.ZERO, Duration.ofSeconds(2)));
        long slow = result.requests() - countBelow(result, 100);
        String summary = String.format("%d answers, %.1f req/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                result.requests(), result.throughput(), result.latencyMillis(50), result.latencyMillis(90),
                result.latencyMillis(99), result.maxMillis());
        // About 80 with an idle machine (those due in the first 400 ms of the stall); closed loop has 1.
        assertThat(slow).as(summary).isGreaterThanOrEqualTo(20);
        assertThat(result.latencyMillis(99)).isGreaterThan(300);
        // The rate is held: the backlog is sent as soon as the server answers again.
        assertThat(result.throughput()).isBetween(150.0, 210.0);
    }

    @Test
    void errorAnswersAreCounted() throws Exception {
        LoadResult result = LoadGenerator.run(spec("/missing", 0, Duration.ZERO, Duration.ofMillis(500)));
        assertThat(result.requests()).isPositive();
        assertThat(result.errors()).isEqualTo(result.requests());
    }

    private static long countBelow(LoadResult result, double millis) {
        long count = 0;
        for (var value : result.latencyMicros().recordedValues()) {
            if (value.getValueIteratedTo() < millis * 1000) {
                count += value.getCountAtValueIteratedTo();
            }
        }
        return count;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
