package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The master's admin listener: metrics merged over the workers that survive kills and reloads,
 * the health probes, the status, and who may read them.
 */
class AdminIT {

    private static final String GET_200 = "http_server_request_duration_seconds_count";

    @Test
    void metricsCountEveryRequestAcrossAWorkerKillAndAReload(@TempDir Path dir) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--admin-bind", "127.0.0.1:0")) {
            AdminListener admin = AdminListener.of(herd, null);
            send(herd, 30);
            awaitCount(admin, 30);

            long victim = herd.workerPids().getFirst();
            HerdProcess.signal(victim, "KILL");
            await().atMost(Duration.ofSeconds(30)).until(() -> herd.workerPids().size() == 2
                    && !herd.workerPids().contains(victim) && AdminListener.sum(admin.metrics(), "herd_workers",
                    "state=\"ready\"") == 2);
            send(herd, 10);
            awaitCount(admin, 40);

            int lines = herd.lineCount();
            herd.signal("HUP");
            herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), lines,
                    Duration.ofSeconds(60));
            send(herd, 10);
            String after = awaitCount(admin, 50);

            assertThat(AdminListener.sum(after, "herd_worker_restarts_total", "cause=\"crash\"")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    AdminListener.sum(admin.metrics(), "herd_worker_restarts_total", "cause=\"reload\"") == 2);
            String metrics = admin.metrics();
            assertThat(AdminListener.sum(metrics, "herd_reload_duration_seconds_count")).isEqualTo(1);
            assertThat(AdminListener.sum(metrics, "herd_worker_boot_duration_seconds_count")).isEqualTo(5);
            // Per worker, by slot and never by pid.
            assertThat(metrics).contains("jvm_cpu_time_seconds_total{worker=\"1\"}")
                    .contains("jvm_cpu_time_seconds_total{worker=\"2\"}")
                    .doesNotContain(Long.toString(victim));
            assertThat(AdminListener.sum(metrics, "herd_worker_resident_memory_bytes", "worker=\"1\""))
                    .isGreaterThan(10 << 20);

            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, metrics);
            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true)
                    .redirectInput(file.toFile()).start();
            String lint = new String(promtool.getInputStream().readAllBytes());
            assertThat(promtool.waitFor()).as(lint).isZero();
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--admin-bind", "127.0.0.1:0")) {
            AdminListener admin = AdminListener.of(herd, null);
            send(herd, 3);
            awaitCount(admin, 3);
            HttpResponse<String> open = admin.get("/metrics", "Accept",
                    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
            assertThat(open.headers().firstValue("content-type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/openmetrics-text; version=1.0.0"));
            assertThat(open.body()).contains("# TYPE herd_worker_boot_duration_seconds histogram")
                    .contains("# TYPE jvm_cpu_time_seconds counter").endsWith("# EOF\n");
            HttpResponse<String> plain = admin.get("/metrics");
            assertThat(plain.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(plain.body()).contains("# TYPE jvm_cpu_time_seconds_total counter").doesNotContain("# EOF");
        }
    }

    @Test
    void healthProbesFollowTheMastersStateAndStatusIsCtlStatus() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--admin-bind", "127.0.0.1:0",
                "--graceful-timeout", "20")) {
            AdminListener admin = AdminListener.of(herd, null);
            assertThat(admin.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(admin.get("/health/startup").statusCode()).isEqualTo(200);
            assertThat(admin.get("/health/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> status = admin.get("/status");
            assertThat(status.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(status.body()).contains("\"state\" : \"running\"")
                    .contains("\"pid\" : " + herd.workerPids().getFirst());

            // A graceful stop with a request in flight: no longer ready, still alive, still answering.
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return herd.get("/io?ms=4000");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    AdminListener.sum(admin.metrics(), "http_server_active_requests") == 1);
            herd.signal("TERM");
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/health/ready").statusCode() == 503);
            assertThat(admin.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(slow.get().statusCode()).isEqualTo(200);
            assertThat(herd.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void aTokenGuardsEveryPathAndUnknownPathsAre404() throws Exception {
        String token = "test-token-0123456789";
        try (HerdProcess herd = HerdProcess.start(Map.of("HERD_ADMIN_TOKEN", token), HerdProcess.HOME,
                "-w", "1", "--admin-bind", "127.0.0.1:0")) {
            AdminListener anonymous = AdminListener.of(herd, null);
            for (String path : List.of("/metrics", "/status", "/health/live", "/nope")) {
                HttpResponse<String> refused = anonymous.get(path);
                assertThat(refused.statusCode()).as(path).isEqualTo(401);
                assertThat(refused.body()).as(path).isEmpty();
                assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer");
            }
            AdminListener wrong = AdminListener.of(herd, token + "x");
            assertThat(wrong.get("/metrics").statusCode()).isEqualTo(401);
            AdminListener right = AdminListener.of(herd, token);
            assertThat(right.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(right.get("/nope").statusCode()).isEqualTo(404);
            // The secret stays out of what the master prints.
            assertThat(herd.log()).doesNotContain(token);
        }
    }

    @Test
    void openHealthLetsProbesInWithoutTheTokenAndNothingElse() throws Exception {
        String token = "test-token-0123456789";
        try (HerdProcess herd = HerdProcess.start(Map.of("HERD_ADMIN_TOKEN", token), HerdProcess.HOME,
                "-w", "1", "--admin-bind", "127.0.0.1:0", "--admin-open-health")) {
            AdminListener anonymous = AdminListener.of(herd, null);
            for (String path : List.of("/health/live", "/health/ready", "/health/startup")) {
                assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(200);
            }
            for (String path : List.of("/metrics", "/status", "/live", "/health", "/nope")) {
                assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(401);
            }
        }
    }

    @Test
    void anAdminListenerBeyondLoopbackWithoutATokenIsRefused(@TempDir Path dir) throws Exception {
        HerdProcess.CtlResult refused = HerdProcess.herd(Map.of(), dir, "serve", "--admin-bind", "0.0.0.0:0");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.output().strip().lines()).hasSize(1).first().asString()
                .contains("--admin-bind: 0.0.0.0:0 is not a loopback address; set --admin-token");
    }

    @Test
    void anAppsOwnMetricsAndNamedRoutesAreMergedOverTheWorkers() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--admin-bind", "127.0.0.1:0",
                "--app-jar", HerdProcess.fixtureJar().toString(), "dev.herd.fixtures.ShopMetricsApp")) {
            AdminListener admin = AdminListener.of(herd, null);
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < 12; i++) {
                String country = i % 3 == 0 ? "fr" : "jp";
                java.net.http.HttpResponse<String> placed = client.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + herd.port() + "/orders?country=" + country
                                        + "&value=" + (i * 20)))
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(placed.statusCode()).isEqualTo(201);
                assertThat(herd.get("/orders/" + i).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String metrics = admin.metrics();
                assertThat(AdminListener.sum(metrics, "shop_orders_total", "country=\"fr\"")).isEqualTo(4);
                assertThat(AdminListener.sum(metrics, "shop_orders_total", "country=\"jp\"")).isEqualTo(8);
                // Values 0, 20, ... 220: 1 up to 10, 5 more up to 100, the other 6 up to 1000.
                assertThat(AdminListener.sum(metrics, "shop_order_value_euros_bucket", "le=\"10.0\"")).isEqualTo(1);
                assertThat(AdminListener.sum(metrics, "shop_order_value_euros_bucket", "le=\"100.0\"")).isEqualTo(6);
                assertThat(AdminListener.sum(metrics, "shop_order_value_euros_count")).isEqualTo(12);
                assertThat(AdminListener.sum(metrics, "shop_order_value_euros_sum")).isEqualTo(1320);
                // A gauge of 3 in each worker.
                assertThat(AdminListener.sum(metrics, "shop_carts_open")).isEqualTo(6);
                assertThat(AdminListener.sum(metrics, GET_200, "http_route=\"/orders/{id}\"")).isEqualTo(12);
                assertThat(AdminListener.sum(metrics, "http_server_request_duration_seconds_count",
                        "http_request_method=\"POST\"", "http_route=\"/orders\"")).isEqualTo(12);
                assertThat(metrics).contains("# HELP shop_orders_total Orders placed, by country.")
                        .contains("# TYPE shop_order_value_euros histogram");
            });
        }
    }

    private static void send(HerdProcess herd, int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
    }

    /** Waits until the merged count of GET 200s is {@code expected} (reports come every second), and returns that exposition. */
    private static String awaitCount(AdminListener admin, int expected) {
        String[] last = new String[1];
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            last[0] = admin.metrics();
            assertThat(AdminListener.sum(last[0], GET_200, "http_request_method=\"GET\"",
                    "http_response_status_code=\"200\"")).isEqualTo(expected);
        });
        return last[0];
    }
}
