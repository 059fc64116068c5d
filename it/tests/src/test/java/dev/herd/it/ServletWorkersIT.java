package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What herd promises of every worker, held by servlet workers too: the three balance modes,
 * replacement of the killed and the hung, reloads without a failed request, the drain, the
 * request timeout, the execution models, forwarded-header trust, HTTP limits, recycling.
 */
class ServletWorkersIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @ValueSource(strings = {"shared", "least-busy", "reuseport"})
    void everyBalanceModeReachesBothWorkers(String balance) throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "2", "--balance", balance))) {
            List<Long> workers = herd.workerPids();
            Set<Long> answered = new HashSet<>();
            // Connections held open while the next ones arrive: no worker can take them all at once.
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herd.port() + "/sleep?ms=300"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            // At least 30, and more while one worker has answered them all (at most 300): least-busy
            // goes by the loads the workers report, which may lag a burst of short connections.
            for (int i = 0; i < 30 || (answered.size() < 2 && i < 300); i++) {
                try (Socket socket = new Socket("127.0.0.1", herd.port())) {
                    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    KeepAliveLoad.Response response = KeepAliveLoad.read(new BufferedInputStream(socket.getInputStream()));
                    assertThat(response.status()).isEqualTo(200);
                    answered.add(Long.parseLong(response.body()));
                }
            }
            for (CompletableFuture<HttpResponse<String>> response : slow) {
                assertThat(response.get(30, TimeUnit.SECONDS).body()).isEqualTo("slept 300");
            }
            assertThat(workers).containsAll(answered);
            if (!balance.equals("shared")) {
                assertThat(answered).as("both workers served under " + balance).hasSize(2);
            }
        }
    }

    @Test
    void killedServletWorkerIsReplacedWhileTheOtherKeepsServing() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "2", "--threads", "4"))) {
            long victim = herd.workerPids().getFirst();
            AtomicInteger okAfterKill = new AtomicInteger();
            AtomicLong killedAt = new AtomicLong();
            CompletableFuture<Load.Counts> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return Load.closedLoop(herd.port(), "/", 4, Duration.ofSeconds(5), okAfterKill, killedAt);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            int linesBefore = herd.lineCount();
            HerdProcess.signal(victim, "KILL");
            killedAt.set(System.nanoTime());
            Load.Counts counts = load.get(30, TimeUnit.SECONDS);
            System.out.printf("kill -9 of a servlet worker under load: %d ok, %d failed, %d ok after the kill%n",
                    counts.ok(), counts.failed(), okAfterKill.get());
            herd.awaitLog(Pattern.compile("worker \\d pid=" + victim + " exited with status 137"), linesBefore,
                    Duration.ofSeconds(5));
            herd.awaitLog(Pattern.compile("worker \\d pid=\\d+ ready"), linesBefore, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> herd.workerPids().size() == 2);
            assertThat(herd.workerPids()).doesNotContain(victim);
            assertThat(okAfterKill.get()).isGreaterThan(20);
            assertThat(counts.failed()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void threeReloadsOfAWarUnderKeepAliveLoadFailNoRequest() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--graceful-timeout", "20",
                ServletApps.war("jersey").toString());
             KeepAliveLoad load = new KeepAliveLoad(herd.port(), "/api/pid", 6)) {
            Thread.sleep(500);
            List<Long> first = herd.workerPids();
            for (int i = 1; i <= 3; i++) {
                HerdProcess.CtlResult reload = herd.ctl("reload");
                assertThat(reload.status()).as(reload.output()).isZero();
                assertThat(reload.output()).contains("generation " + (i + 1) + " serves");
            }
            Thread.sleep(500);
            load.stop();
            System.out.printf("3 reloads of a WAR under keep-alive load: %d requests ok, %d failed, %d connections%n",
                    load.ok(), load.failed(), load.connections());
            assertThat(load.failed()).as("failures: %s", load.failures()).isZero();
            assertThat(load.ok()).isGreaterThan(300);
            List<Long> last = herd.workerPids();
            assertThat(last).hasSize(2).doesNotContainAnyElementsOf(first);
            // The last generation served the clients, who reconnected along the way.
            assertThat(load.bodies().keySet()).anyMatch(pid -> last.contains(Long.parseLong(pid)));
            assertThat(load.connections()).isGreaterThan(6);
        }
    }

    @Test
    void aWorkerWhoseOnlyThreadIsStuckIsReplaced() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "-k", "sync", "--timeout", "2"))) {
            long hung = herd.workerPids().getFirst();
            int linesBefore = herd.lineCount();
            CompletableFuture.runAsync(() -> {
                try {
                    herd.get("/sleep?ms=60000", Duration.ofSeconds(30));
                } catch (Exception expected) {
                    // The worker dies under this request.
                }
            });
            herd.awaitLog(Pattern.compile("worker 1 pid=" + hung + " timed out: no heartbeat"), linesBefore,
                    Duration.ofSeconds(15));
            herd.awaitLog(Pattern.compile("worker 1 pid=\\d+ ready"), linesBefore, Duration.ofSeconds(30));
            HttpResponse<String> after = herd.get("/");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isNotEqualTo(Long.toString(hung));
        }
    }

    @Test
    void syncRunsOneRequestAtATimeAndVirtualRunsOnVirtualThreads() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "-k", "sync"))) {
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> get(herd, "/sleep?ms=600"));
            CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> get(herd, "/sleep?ms=600"));
            assertThat(a.get(30, TimeUnit.SECONDS).body()).isEqualTo("slept 600");
            assertThat(b.get(30, TimeUnit.SECONDS).body()).isEqualTo("slept 600");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1200);
            assertThat(herd.get("/thread").body()).isEqualTo("platform");
        }
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "-k", "virtual"))) {
            assertThat(herd.get("/thread").body()).isEqualTo("virtual");
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(CompletableFuture.supplyAsync(() -> get(herd, "/sleep?ms=500")));
            }
            for (CompletableFuture<HttpResponse<String>> response : all) {
                assertThat(response.get(30, TimeUnit.SECONDS).body()).isEqualTo("slept 500");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);
        }
    }

    @Test
    void anHttpSessionKeepsItsCookieOnOneWorker() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1"))) {
            HttpClient withCookies = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            HttpRequest visit = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herd.port() + "/session")).build();
            HttpResponse<String> first = withCookies.send(visit, HttpResponse.BodyHandlers.ofString());
            assertThat(first.body()).isEqualTo("visits 1");
            assertThat(first.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).startsWith("JSESSIONID="));
            assertThat(withCookies.send(visit, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("visits 2");
        }
    }

    @Test
    void requestTimeoutAnswers503AndTheWorkerLives() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "--request-timeout", "1"))) {
            long worker = herd.workerPids().getFirst();
            long start = System.nanoTime();
            HttpResponse<String> late = herd.get("/sleep?ms=10000");
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5000L);
            HttpResponse<String> next = herd.get("/");
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.body()).isEqualTo(Long.toString(worker));
        }
    }

    @Test
    void aGracefulStopFinishesTheRequestInFlight() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1"))) {
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> get(herd, "/sleep?ms=1500"));
            Thread.sleep(400);
            herd.signal("TERM");
            HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("slept 1500");
            assertThat(response.headers().firstValue("Connection")).hasValue("close");
            assertThat(herd.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void forwardedHeadersAreBelievedOnlyFromTrustedPeers() throws Exception {
        String forwarded = "GET /client HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\n"
                + "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n";
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "--access-log", "-"))) {
            assertThat(exchange(herd.port(), forwarded).body()).isEqualTo("203.0.113.7 https true");
            herd.awaitLog(Pattern.compile("^203\\.0\\.113\\.7 - - .*\"GET /client HTTP/1\\.1\" 200"), Duration.ofSeconds(5));
        }
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "--forwarded-allow-ips", "10.0.0.1"))) {
            assertThat(exchange(herd.port(), forwarded).body()).isEqualTo("127.0.0.1 http false");
        }
    }

    @Test
    void herdsLimitsHoldAndTheWorkerLives() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "--limit-request-line", "100",
                "--limit-request-fields", "5", "--limit-request-body", "1000"))) {
            long worker = herd.workerPids().getFirst();
            KeepAliveLoad.Response tooLong = exchange(herd.port(), "GET /" + "a".repeat(200) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(tooLong.status()).isEqualTo(414);
            // The refusal does not echo the target back (nor into the log).
            assertThat(tooLong.body()).contains("414").doesNotContain("aaaa");
            StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 10; i++) {
                many.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
            }
            assertThat(exchange(herd.port(), many.append("\r\n").toString()).status()).isEqualTo(431);
            assertThat(exchange(herd.port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
                    + "x".repeat(5000)).status()).isEqualTo(413);
            assertThat(exchange(herd.port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n"
                    + "x".repeat(500)).body()).isEqualTo("read 500");
            assertThat(herd.get("/").body()).isEqualTo(Long.toString(worker));
        }
    }

    /**
     * Jetty refuses these with 400 and used to warn with the client's bytes in the line (a client
     * could fill the log, and its escape sequences reached the terminal of whoever read it).
     */
    @Test
    void malformedRequestsGet400AndLeaveNoneOfTheirBytesInTheLog() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "--access-log", "-"))) {
            long worker = herd.workerPids().getFirst();
            assertThat(exchange(herd.port(), "GET / HTTP/1.1\r\nHost: a\r\nHost: b-evil\r\n\r\n").status())
                    .isEqualTo(400);
            assertThat(exchange(herd.port(), "GET / HTTP/1.1\r\nHost: [::1-evil\u001b[2J\r\n\r\n").status())
                    .isEqualTo(400);
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
            // Written by the worker after whatever it logged for the two refusals.
            herd.awaitLog(Pattern.compile("\"GET /hello HTTP/1\\.1\" 200"), Duration.ofSeconds(10));
            assertThat(herd.log()).doesNotContain("evil").doesNotContain("\u001b").doesNotContain("WARN");
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }

    @Test
    void maxRequestsRecyclesAServletWorkerAndStatusCountsItsRequests() throws Exception {
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "--max-requests", "20",
                "--max-requests-jitter", "0"))) {
            long first = herd.workerPids().getFirst();
            for (int i = 0; i < 5; i++) {
                herd.get("/");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(herd.ctl("status").output()).containsPattern("worker 1 pid=" + first + ".*requests 5"));
            for (int i = 0; i < 20; i++) {
                assertThat(herd.get("/").statusCode()).isEqualTo(200);
            }
            herd.awaitLog(Pattern.compile("pid=" + first + " asks to be replaced \\(served \\d+ requests, limit 20\\)"),
                    Duration.ofSeconds(15));
            await().atMost(Duration.ofSeconds(30)).until(() -> !herd.workerPids().contains(first)
                    && herd.workerPids().size() == 1);
            assertThat(herd.get("/").body()).isNotEqualTo(Long.toString(first));
        }
    }

    private HttpResponse<String> get(HerdProcess herd, String path) {
        try {
            return herd.get(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeepAliveLoad.Response exchange(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return KeepAliveLoad.read(in);
        }
    }
}
