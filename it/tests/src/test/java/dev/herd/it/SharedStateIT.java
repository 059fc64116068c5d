package dev.herd.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared state across worker processes, through the demo app's endpoints, with each backend:
 * {@code local} (the master's store) and {@code redis} (a real redis-server on a loopback port).
 * What one worker writes the other reads, and it outlives the worker that wrote it.
 * (The local store's own file, socket and bad input: herd-server's StateIT.)
 */
class SharedStateIT {

    private RedisServer redis;

    @AfterEach
    void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** {@code --state} for the backend; starts a redis-server for {@code redis}. */
    private String state(String backend) throws Exception {
        if (backend.equals("local")) {
            return "local";
        }
        redis = RedisServer.start();
        return redis.url();
    }

    private static String[] twoWorkers(String state, String model, String... more) {
        List<String> args = new ArrayList<>(List.of("-w", "2", "-k", model, "--balance", "least-busy",
                "--state", state));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }


    private static String me(HerdProcess herd, String cookie) throws Exception {
        try (WorkerConnection c = new WorkerConnection(herd.port()).cookie(cookie)) {
            WorkerConnection.Reply me = c.get("/me");
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            return me.body();
        }
    }

    @ParameterizedTest
    @CsvSource({"local, threads", "redis, async"})
    void aLoginOnOneWorkerIsSeenByTheOtherAndOutlivesKillReloadAndScaleDown(String backend, String model)
            throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers(state(backend), model))) {
            WorkerConnection[] both = WorkerConnection.onBothWorkers(herd.port());
            long loginPid;
            String cookie;
            try (WorkerConnection a = both[0]; WorkerConnection b = both[1]) {
                loginPid = a.workerPid();
                WorkerConnection.Reply login = a.get("/login?user=ann");
                assertThat(login.status()).isEqualTo(200);
                assertThat(login.setCookies()).singleElement().asString()
                        .startsWith("herd_session=").contains("HttpOnly").contains("SameSite=Lax")
                        .doesNotContain("Secure");
                cookie = a.cookie().orElseThrow();
                WorkerConnection.Reply me = b.cookie(cookie).get("/me");
                assertThat(me.status()).isEqualTo(200);
                assertThat(me.body()).startsWith("ann (worker");
                try (WorkerConnection anonymous = new WorkerConnection(herd.port())) {
                    assertThat(anonymous.get("/me").status()).as("no cookie").isEqualTo(401);
                }
            }

            int lines = herd.lineCount();
            HerdProcess.signal(loginPid, "KILL");
            herd.awaitLog(Pattern.compile("pid=" + loginPid + " exited with status 137"), lines, Duration.ofSeconds(10));
            herd.awaitLog(Pattern.compile("worker \\d pid=\\d+ ready"), lines, Duration.ofSeconds(30));
            assertThat(me(herd, cookie)).as("after kill -9 of the worker that logged in").startsWith("ann");

            HerdProcess.CtlResult reload = herd.ctl("reload");
            assertThat(reload.status()).as(reload.output()).isZero();
            assertThat(me(herd, cookie)).as("after a reload").startsWith("ann");

            HerdProcess.CtlResult scale = herd.ctl("scale", "1");
            assertThat(scale.status()).as(scale.output()).isZero();
            await().atMost(Duration.ofSeconds(20)).until(() -> herd.workerPids().size() == 1);
            assertThat(me(herd, cookie)).as("after a scale-down").startsWith("ann");

            try (WorkerConnection c = new WorkerConnection(herd.port()).cookie(cookie)) {
                WorkerConnection.Reply logout = c.get("/logout");
                assertThat(logout.setCookies()).singleElement().asString().contains("Max-Age=0");
            }
            try (WorkerConnection d = new WorkerConnection(herd.port()).cookie(cookie)) {
                assertThat(d.get("/me").status()).as("logged out everywhere").isEqualTo(401);
            }
        }
    }

    /** 2 workers x 8 threads (8 connections each under async) add 10,000 each: no update is lost. */
    @ParameterizedTest
    @CsvSource({"local, threads", "local, async", "redis, threads", "redis, async"})
    void incrementsFromTwoWorkersTimesEightThreadsAreExact(String backend, String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers(state(backend), model, "--threads", "8"))) {
            List<WorkerConnection> connections = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Long> pids = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    WorkerConnection c = new WorkerConnection(herd.port());
                    pids.add(c.workerPid());
                    connections.add(c);
                }
                assertThat(pids.stream().distinct().count()).as("both workers increment").isEqualTo(2);
                long start = System.nanoTime();
                List<Future<WorkerConnection.Reply>> replies = new ArrayList<>();
                for (WorkerConnection c : connections) {
                    replies.add(clients.submit(() -> c.request("POST", "/count?times=10000", "")));
                }
                for (Future<WorkerConnection.Reply> reply : replies) {
                    WorkerConnection.Reply answer = reply.get(90, TimeUnit.SECONDS);
                    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("%s, %s: 160,000 increments from 2 workers x 8 in %d ms%n", backend, model, millis);
                assertThat(herd.get("/count").body().trim()).isEqualTo("160000");
            } finally {
                clients.shutdownNow();
                for (WorkerConnection c : connections) {
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void timesToLiveExpireForEveryWorkerAndMessagesReachEveryWorker(String backend) throws Exception {
        String state = state(backend);
        try (HerdProcess herd = HerdProcess.start(twoWorkers(state, "threads"))) {
            WorkerConnection[] both = WorkerConnection.onBothWorkers(herd.port());
            try (WorkerConnection a = both[0]; WorkerConnection b = both[1]) {
                assertThat(a.request("PUT", "/kv?key=brief&ttl=0.5", "here").status()).isEqualTo(200);
                assertThat(a.request("PUT", "/kv?key=lasting", "here").status()).isEqualTo(200);
                assertThat(b.get("/kv?key=brief").body()).isEqualTo("here");
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> b.get("/kv?key=brief").status() == 404);
                assertThat(a.get("/kv?key=brief").status()).isEqualTo(404);
                assertThat(a.get("/kv?key=lasting").body()).isEqualTo("here");

                String message = "news-" + System.nanoTime();
                assertThat(a.request("POST", "/publish", message).body().trim()).isEqualTo("reached 2");
                for (WorkerConnection c : both) {
                    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                            .until(() -> c.get("/received").body().contains(message));
                }
            }
            try (WorkerConnection proxied = new WorkerConnection(herd.port()).header("X-Forwarded-Proto: https")) {
                assertThat(proxied.get("/login?user=eve").setCookies()).as("https through a trusted proxy")
                        .singleElement().asString().contains("; Secure");
            }
            HerdProcess.CtlResult status = herd.ctl("status");
            if (backend.equals("local")) {
                assertThat(status.output()).containsPattern("state local: [1-9]\\d* keys, \\S+ of 64MiB, 0 evicted");
            } else {
                assertThat(status.output()).contains("state " + state + "\n");
            }
        }
    }

    /** The example: a chat room over WebSockets whose members sit on different workers. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void aChatRoomSpansTheWorkersThroughPublishSubscribe(String backend) throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers(state(backend), "threads"));
             RawWebSocket ann = RawWebSocket.openAt(herd.port(), "/ws/chat?name=ann", 0)) {
            String annJoined = ann.read(Duration.ofSeconds(5)).text();
            assertThat(annJoined).startsWith("* ann joined on worker ");
            // Opened while ann's connection is held: least-busy gives bob the other worker.
            try (RawWebSocket bob = RawWebSocket.openAt(herd.port(), "/ws/chat?name=bob", 0)) {
                String bobJoined = bob.read(Duration.ofSeconds(5)).text();
                assertThat(bobJoined).startsWith("* bob joined on worker ");
                assertThat(ann.read(Duration.ofSeconds(5)).text()).as("ann hears bob join").isEqualTo(bobJoined);
                assertThat(lastWord(bobJoined)).as("ann and bob on different workers").isNotEqualTo(lastWord(annJoined));
                ann.send(true, 0, RawWebSocket.TEXT, "hello bob".getBytes(StandardCharsets.UTF_8));
                assertThat(bob.read(Duration.ofSeconds(5)).text()).isEqualTo("ann: hello bob");
                assertThat(ann.read(Duration.ofSeconds(5)).text()).isEqualTo("ann: hello bob");
            }
        }
    }

    private static String lastWord(String line) {
        return line.substring(line.lastIndexOf(' ') + 1);
    }

    /**
     * Redis stopped mid-test: requests that need state get 503 quickly with one clear log line,
     * no worker is lost, requests that need no state go on, and all works again once Redis is back.
     */
    @Test
    void whileRedisIsDownRequestsThatNeedStateGet503QuicklyAndTheWorkersLive() throws Exception {
        String state = state("redis");
        try (HerdProcess herd = HerdProcess.start(twoWorkers(state, "threads"))) {
            List<Long> workers = herd.workerPids();
            assertThat(herd.get("/count").statusCode()).isEqualTo(200);
            try (WorkerConnection c = new WorkerConnection(herd.port())) {
                assertThat(c.request("POST", "/count", "").body().trim()).isEqualTo("1");
            }
            int lines = herd.lineCount();
            redis.stop();
            for (int i = 0; i < 10; i++) {
                try (WorkerConnection c = new WorkerConnection(herd.port())) {
                    long start = System.nanoTime();
                    WorkerConnection.Reply reply = c.request("POST", "/count", "");
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                    assertThat(millis).as("quickly, well within --state-timeout").isLessThan(1500);
                    assertThat(c.get("/hello").status()).as("what needs no state still works").isEqualTo(200);
                }
            }
            herd.awaitLog(Pattern.compile("shared state unavailable, answered 503 to POST /count.*"
                    + Pattern.quote("127.0.0.1:" + redis.port())), lines, Duration.ofSeconds(5));
            assertThat(herd.workerPids()).as("no worker lost").containsExactlyInAnyOrderElementsOf(workers);

            redis.startAgain(); // empty: nothing was saved
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try (WorkerConnection c = new WorkerConnection(herd.port())) {
                    return c.request("POST", "/count", "").status() == 200;
                }
            });
            WorkerConnection[] both = WorkerConnection.onBothWorkers(herd.port());
            try (WorkerConnection a = both[0]; WorkerConnection b = both[1]) {
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> b.request("POST", "/count", "").status() == 200);
                String message = "back-" + System.nanoTime();
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> a.request("POST", "/publish", message).body().trim().equals("reached 2"));
                // "reached 2" is Redis's count of subscribed connections it sent the message to;
                // the worker gets it a moment later, on its own connection.
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                        assertThat(b.get("/received").body()).as("subscriptions came back too").contains(message));
            }
            assertThat(herd.workerPids()).containsExactlyInAnyOrderElementsOf(workers);
        }
    }
}
