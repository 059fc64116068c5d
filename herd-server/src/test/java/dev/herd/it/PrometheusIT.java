package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus scrapes herd's admin listener every second while a worker is killed and the
 * workers are reloaded: the request count it stores is every request sent, and none of herd's
 * counters ever resets in its eyes.
 */
class PrometheusIT {

    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"]");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prometheusSeesEveryRequestAndNoCounterReset(@TempDir Path dir) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--admin-bind", "127.0.0.1:0")) {
            AdminListener admin = AdminListener.of(herd, null);
            int port = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: herd
                        static_configs:
                          - targets: ['%s']
                    """.formatted(admin.address()));
            Process prometheus = new ProcessBuilder("prometheus",
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                // Refused connections while Prometheus starts are part of waiting for it.
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> query(base, "up{job=\"herd\"}") == 1);

                String requests = "sum(http_server_request_duration_seconds_count{http_request_method=\"GET\"})";
                send(herd, 20);
                awaitValue(base, requests, 20);

                long victim = herd.workerPids().getFirst();
                HerdProcess.signal(victim, "KILL");
                await().atMost(Duration.ofSeconds(30)).until(() -> herd.workerPids().size() == 2
                        && !herd.workerPids().contains(victim)
                        && AdminListener.sum(admin.metrics(), "herd_workers", "state=\"ready\"") == 2);
                send(herd, 10);
                awaitValue(base, requests, 30);

                int lines = herd.lineCount();
                herd.signal("HUP");
                herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), lines, Duration.ofSeconds(60));
                send(herd, 10);
                awaitValue(base, requests, 40);
                awaitValue(base, "sum(herd_worker_restarts_total{cause=\"reload\"})", 2);

                assertThat(query(base, "sum(resets(http_server_request_duration_seconds_count[10m]))")).isZero();
                assertThat(query(base, "sum(resets(jvm_cpu_time_seconds_total[10m]))")).isZero();
                assertThat(query(base, "sum(resets(herd_worker_restarts_total[10m]))")).isZero();
                assertThat(query(base, "sum(herd_worker_restarts_total{cause=\"crash\"})")).isEqualTo(1);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor();
                }
            }
        }
    }

    private void awaitValue(String base, String query, double expected) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() ->
                assertThat(query(base, query)).as(query).isEqualTo(expected));
    }

    /** The instant value of a PromQL expression with one result; NaN when there is none. */
    private double query(String base, String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher value = VALUE.matcher(response.body());
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }

    private static void send(HerdProcess herd, int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
