package dev.herd.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --max-queue} and {@code --queue-timeout}: a worker whose one place in the app is taken
 * answers what cannot wait 503 with Retry-After, without running it, under every model.
 */
class OverloadIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One place in the app under each model: sync, one thread, or a concurrency limit of one. */
    private static List<String> onePlace(String model) {
        List<String> args = new ArrayList<>(List.of("-w", "1", "-k", model, "--admin-bind", "127.0.0.1:0"));
        switch (model) {
            case "threads" -> args.addAll(List.of("--threads", "1"));
            case "virtual", "async" -> args.addAll(List.of("--max-concurrency", "1"));
            default -> { }
        }
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threads", "virtual", "async"})
    void aFullQueueAnswers503AtOnceAndTheQueuedRequestsStillRun(String model) throws Exception {
        List<String> args = onePlace(model);
        args.addAll(List.of("--max-queue", "2"));
        try (HerdProcess herd = HerdProcess.start(args.toArray(String[]::new))) {
            AdminListener admin = AdminListener.of(herd, null);
            CompletableFuture<HttpResponse<String>> busy = send(herd, "GET", "/io?ms=3000");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    AdminListener.sum(admin.metrics(), "http_server_active_requests") == 1);
            List<CompletableFuture<HttpResponse<String>>> queued = List.of(send(herd, "POST", "/count"),
                    send(herd, "POST", "/count"));
            // Both are in the queue (dispatched and waiting) before the next one comes.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    AdminListener.sum(admin.metrics(), "http_server_active_requests") == 3);

            HttpResponse<String> refused = send(herd, "POST", "/count").get();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(refused.body()).contains("overloaded");
            assertThat(busy).as("refused while the busy request still runs").isNotDone();

            assertThat(busy.get().statusCode()).isEqualTo(200);
            for (CompletableFuture<HttpResponse<String>> waiting : queued) {
                assertThat(waiting.get().statusCode()).isEqualTo(200);
            }
            // The refused increment never ran.
            assertThat(send(herd, "GET", "/count").get().body().strip()).isEqualTo("2");
            await().atMost(Duration.ofSeconds(5)).until(() -> AdminListener.sum(admin.metrics(),
                    "herd_requests_rejected_total", "reason=\"queue_full\"") == 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threads", "virtual", "async"})
    void aRequestWaitingPastTheQueueTimeoutGets503AndNeverRuns(String model) throws Exception {
        List<String> args = onePlace(model);
        args.addAll(List.of("--queue-timeout", "0.5"));
        try (HerdProcess herd = HerdProcess.start(args.toArray(String[]::new))) {
            AdminListener admin = AdminListener.of(herd, null);
            CompletableFuture<HttpResponse<String>> busy = send(herd, "GET", "/io?ms=3000");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    AdminListener.sum(admin.metrics(), "http_server_active_requests") == 1);
            long start = System.nanoTime();
            HttpResponse<String> expired = send(herd, "POST", "/count").get();
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(expired.statusCode()).isEqualTo(503);
            assertThat(expired.headers().firstValue("retry-after")).hasValue("1");
            assertThat(waitedMillis).as("waited about the queue timeout").isBetween(400L, 2500L);
            assertThat(busy).as("expired while the busy request still runs").isNotDone();

            assertThat(busy.get().statusCode()).isEqualTo(200);
            // A request that gets its place in time runs; the expired one never did.
            assertThat(send(herd, "POST", "/count").get().body().strip()).isEqualTo("1");
            await().atMost(Duration.ofSeconds(5)).until(() -> AdminListener.sum(admin.metrics(),
                    "herd_requests_rejected_total", "reason=\"queue_timeout\"") == 1);
            // And the queue is empty again: the next request after a pause is not refused.
            assertThat(send(herd, "GET", "/hello").get().statusCode()).isEqualTo(200);
        }
    }

    private CompletableFuture<HttpResponse<String>> send(HerdProcess herd, String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herd.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
