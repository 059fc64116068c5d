package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** TERM lets in-flight requests finish; INT halts at once. */
class StopIT {

    @Test
    void termFinishesTheInFlightRequestThenExitsZero() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "-k", "threads", "--graceful-timeout", "10")) {
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return herd.get("/io?ms=2000");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            long termAt = System.nanoTime();
            herd.signal("TERM");
            HttpResponse<String> response = slow.get(15, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("waited 2000 ms");
            assertThat(herd.awaitExit(Duration.ofSeconds(15))).isZero();
            // It waited for the request (about 1.5 s more), not for the whole graceful timeout.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt)).isBetween(1000L, 8000L);
        }
    }

    @Test
    void intHaltsWithoutWaitingForInFlightRequests() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "-k", "virtual", "--graceful-timeout", "30")) {
            CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return herd.get("/io?ms=20000").statusCode();
                } catch (Exception e) {
                    return -1;
                }
            });
            Thread.sleep(500);
            long intAt = System.nanoTime();
            herd.signal("INT");
            herd.awaitExit(Duration.ofSeconds(10));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - intAt)).isLessThan(5000L);
            assertThat(slow.get(15, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }
}
