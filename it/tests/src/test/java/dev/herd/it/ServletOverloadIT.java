package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A servlet app on Jetty: its requests are in the master's metrics like herd's own engine's,
 * and its queue is bounded by the same {@code --max-queue} and {@code --queue-timeout}.
 */
class ServletOverloadIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFullQueueAnswers503AndTheMetricsCountServletRequests() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "-k", "sync", "--max-queue", "1",
                "--admin-bind", "127.0.0.1:0"))) {
            AdminListener admin = AdminListener.of(herd, null);
            CompletableFuture<HttpResponse<String>> busy = get(herd, "/sleep?ms=3000");
            awaitActive(admin, 1);
            CompletableFuture<HttpResponse<String>> queued = get(herd, "/sleep?ms=10");
            awaitActive(admin, 2);
            HttpResponse<String> refused = get(herd, "/sleep?ms=10").get();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(busy).isNotDone();
            assertThat(busy.get().statusCode()).isEqualTo(200);
            assertThat(queued.get().statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                String metrics = admin.metrics();
                assertThat(AdminListener.sum(metrics, "http_server_request_duration_seconds_count",
                        "http_response_status_code=\"200\"")).isEqualTo(2);
                assertThat(AdminListener.sum(metrics, "http_server_request_duration_seconds_count",
                        "http_response_status_code=\"503\"")).isEqualTo(1);
                assertThat(AdminListener.sum(metrics, "herd_requests_rejected_total", "reason=\"queue_full\""))
                        .isEqualTo(1);
                assertThat(AdminListener.sum(metrics, "herd_request_queue_duration_seconds_count")).isEqualTo(2);
            });
        }
    }

    @Test
    void aRequestWaitingPastTheQueueTimeoutGets503() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "-k", "sync",
                "--queue-timeout", "0.5", "--admin-bind", "127.0.0.1:0"))) {
            AdminListener admin = AdminListener.of(herd, null);
            CompletableFuture<HttpResponse<String>> busy = get(herd, "/sleep?ms=3000");
            awaitActive(admin, 1);
            long start = System.nanoTime();
            HttpResponse<String> expired = get(herd, "/sleep?ms=10").get();
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(expired.statusCode()).isEqualTo(503);
            assertThat(expired.headers().firstValue("retry-after")).hasValue("1");
            assertThat(waitedMillis).isBetween(400L, 2500L);
            assertThat(busy.get().statusCode()).isEqualTo(200);
            assertThat(get(herd, "/sleep?ms=10").get().statusCode()).isEqualTo(200);
        }
    }

    /** Requests in the worker, running or queued, as its last report (every second) says. */
    private static void awaitActive(AdminListener admin, int requests) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                AdminListener.sum(admin.metrics(), "http_server_active_requests") == requests);
    }

    private CompletableFuture<HttpResponse<String>> get(HerdProcess herd, String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herd.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
