package dev.herd.it;

import dev.herd.ipc.ControlSocketLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Shared state across worker processes ({@code --state local}: the master's store), through the
 * demo app's endpoints: what one worker writes, the other reads, and it outlives the worker.
 */
class StateIT {

    private static String[] twoWorkers(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("-w", "2", "-k", model, "--balance", "least-busy"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Two connections held open at once: under least-busy, one per worker. */
    private static WorkerConnection[] onBothWorkers(HerdProcess herd) throws Exception {
        WorkerConnection first = new WorkerConnection(herd.port());
        long firstPid = first.workerPid();
        WorkerConnection second = new WorkerConnection(herd.port());
        assertThat(second.workerPid()).as("two connections, two workers").isNotEqualTo(firstPid);
        return new WorkerConnection[]{first, second};
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "async"})
    void aLoginOnOneWorkerIsSeenByTheOtherAndOutlivesKillReloadAndScaleDown(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers(model))) {
            WorkerConnection[] both = onBothWorkers(herd);
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
                assertThat(new WorkerConnection(herd.port()).get("/me").status()).as("no cookie").isEqualTo(401);
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

    private static String me(HerdProcess herd, String cookie) throws Exception {
        try (WorkerConnection c = new WorkerConnection(herd.port()).cookie(cookie)) {
            WorkerConnection.Reply me = c.get("/me");
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            return me.body();
        }
    }

    @Test
    void withAStateFileTheMasterComesBackWithItsStateAfterAStopAndAKill(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herd.state");
        String cookie;
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--state-file", file.toString())) {
            try (WorkerConnection c = new WorkerConnection(herd.port())) {
                assertThat(c.get("/login?user=bob").status()).isEqualTo(200);
                cookie = c.cookie().orElseThrow();
                assertThat(c.request("POST", "/count?times=5", "").body().trim()).isEqualTo("5");
            }
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--state-file", file.toString())) {
            assertThat(herd.log()).contains("state file " + file);
            assertThat(me(herd, cookie)).as("after a graceful stop").startsWith("bob");
            try (WorkerConnection c = new WorkerConnection(herd.port())) {
                assertThat(c.request("POST", "/count", "").body().trim()).isEqualTo("6");
            }
            // kill -9 of the master: the file has every change it acknowledged (written before the reply).
            herd.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--state-file", file.toString())) {
            assertThat(me(herd, cookie)).as("after kill -9 of the master").startsWith("bob");
            assertThat(herd.get("/count").body().trim()).isEqualTo("6");
        }
    }

    /** 2 workers x 8 threads (or 8 connections each under async) add 10,000 each: no update is lost. */
    @ParameterizedTest
    @ValueSource(strings = {"threads", "async"})
    void incrementsFromTwoWorkersTimesEightThreadsAreExact(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers(model, "--threads", "8"))) {
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
                    assertThat(reply.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("%s: 160,000 increments from 2 workers x 8 in %d ms%n", model, millis);
                assertThat(herd.get("/count").body().trim()).isEqualTo("160000");
            } finally {
                clients.shutdownNow();
                for (WorkerConnection c : connections) {
                    c.close();
                }
            }
        }
    }

    @Test
    void timesToLiveExpireForEveryWorkerAndMessagesReachEveryWorker() throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers("threads"))) {
            WorkerConnection[] both = onBothWorkers(herd);
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
            assertThat(status.output()).containsPattern("state local: [1-9]\\d* keys, \\S+ of 64MiB, 0 evicted");
        }
    }

    /** The example: a chat room over WebSockets whose members sit on different workers. */
    @Test
    void aChatRoomSpansTheWorkersThroughPublishSubscribe() throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers("threads"))) {
            try (RawWebSocket ann = RawWebSocket.openAt(herd.port(), "/ws/chat?name=ann", 0);
                 RawWebSocket bob = awaitJoined(ann, "ann", herd)) {
                String annJoin = ann.read(Duration.ofSeconds(5)).text();
                assertThat(annJoin).startsWith("* bob joined on worker ");
                String bobWorker = annJoin.substring(annJoin.lastIndexOf(' ') + 1);
                assertThat(bobWorker).as("ann and bob on different workers").isNotEqualTo(annWorker);
                ann.send(true, 0, RawWebSocket.TEXT, "hello bob".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(bob.read(Duration.ofSeconds(5)).text()).isEqualTo("ann: hello bob");
                assertThat(ann.read(Duration.ofSeconds(5)).text()).isEqualTo("ann: hello bob");
            }
        }
    }

    private String annWorker;

    /** Ann hears her own join (and so her worker); bob, opened while ann is held, goes to the other one. */
    private RawWebSocket awaitJoined(RawWebSocket ann, String name, HerdProcess herd) throws Exception {
        String joined = ann.read(Duration.ofSeconds(5)).text();
        assertThat(joined).startsWith("* " + name + " joined on worker ");
        annWorker = joined.substring(joined.lastIndexOf(' ') + 1);
        RawWebSocket bob = RawWebSocket.openAt(herd.port(), "/ws/chat?name=bob", 0);
        assertThat(bob.read(Duration.ofSeconds(5)).text()).startsWith("* bob joined on worker ");
        return bob;
    }

    @Test
    void aWorkerThatSendsGarbageOnTheStateSocketIsCutOffAndTheOthersGoOn() throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers("threads"))) {
            Path control = ControlSocketLocation.defaultSocket(herd.masterPid());
            Path state = control.resolveSibling("master-" + herd.masterPid() + "-state.sock");
            assertThat(Files.getPosixFilePermissions(state)).as("0600")
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            try (SocketChannel garbage = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                garbage.connect(UnixDomainSocketAddress.of(state));
                garbage.write(ByteBuffer.wrap(new byte[]{0, 0, 0, 5, 99, 0, 0, 0, 1}));
                int read = garbage.read(ByteBuffer.allocate(16));
                assertThat(read).as("disconnected").isEqualTo(-1);
            }
            herd.awaitLog(Pattern.compile("state socket: process " + ProcessHandle.current().pid()
                    + " sent what is not a state command \\(unknown command 99\\); disconnecting it"), Duration.ofSeconds(5));
            WorkerConnection[] both = onBothWorkers(herd);
            try (WorkerConnection a = both[0]; WorkerConnection b = both[1]) {
                assertThat(a.request("POST", "/count", "").status()).isEqualTo(200);
                assertThat(b.request("POST", "/count", "").body().trim()).isEqualTo("2");
            }
        }
    }

    @Test
    void aDamagedStateFileStopsTheMasterWithTheOffsetAndIsLeftAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herd.state");
        byte[] damaged = "HERDSTATE1\n\u0000\u0000\u0000\u0010garbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(file, damaged);
        try (HerdProcess herd = HerdProcess.launch("--state-file", file.toString())) {
            assertThat(herd.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(herd.log()).contains("is damaged at byte offset 11: a record is cut short");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
    }
}
