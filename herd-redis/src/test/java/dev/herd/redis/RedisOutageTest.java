package dev.herd.redis;

import dev.herd.api.state.AsyncSharedState;
import dev.herd.api.state.StateUnavailableException;
import dev.herd.redis.RedisBackendTest.Worker;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Redis going away and coming back under a live worker: calls fail fast with
 * {@link StateUnavailableException} and never hang, then work again without restarting anything.
 */
class RedisOutageTest {

    private static final Duration FAST = Duration.ofSeconds(1);

    private RedisServer redis;
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    private Worker worker(String name, String uri, Duration timeout) throws Exception {
        Worker worker = new Worker(name, uri, timeout);
        toClose.add(worker);
        return worker;
    }

    @Test
    void callsFailFastWhileRedisIsStoppedAndWorkAgainWhenItIsBack() throws Exception {
        redis = RedisServer.start();
        String target = "redis://127.0.0.1:" + redis.port() + "/0";
        Worker a = worker("a", redis.uri(), Duration.ofSeconds(5));
        Worker b = worker("b", redis.uri(), Duration.ofSeconds(5));
        List<String> received = new CopyOnWriteArrayList<>();
        b.state.subscribe("ch", m -> received.add(m.text()));
        a.state.put("k", "v");
        assertThat(a.state.publish("ch", "before")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("before"));

        redis.stop();
        Map<String, ThrowingCallable> calls = Map.of(
                "get", () -> a.state.get("k"),
                "put", () -> a.state.put("k", "v2"),
                "increment", () -> a.state.increment("n"),
                "compareAndSet", () -> a.state.compareAndSet("k", "v", "v2", null),
                "keys", () -> a.state.keys(""),
                "publish", () -> a.state.publish("ch", "lost"),
                "subscribe", () -> b.state.subscribe("other", m -> { }));
        for (var call : calls.entrySet()) {
            failsFast(call.getKey(), call.getValue(), target + " is unreachable");
        }
        // Once Lettuce has tried to reconnect, calls say why it failed.
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                failsFast("get", () -> a.state.get("k"), target + " is unreachable: Connection refused"));
        // The non-blocking flavour fails its stage, and as fast.
        AsyncSharedState async = a.backend.async();
        long start = System.nanoTime();
        CompletableFuture<?> stage = async.get("k").toCompletableFuture();
        assertThatThrownBy(() -> stage.get(FAST.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StateUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);

        long restarted = System.nanoTime();
        redis.startProcess();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> a.state.get("k").isEmpty());
        System.out.printf("calls work again %d ms after redis-server answers again%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
        a.state.put("k", "v3");
        assertThat(a.state.getString("k")).hasValue("v3");

        // Lettuce subscribed b again on its own.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> a.state.publish("ch", "after") == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("after"));
        assertThat(received).doesNotContain("lost");

        // Once per worker, however many connections, failed calls and reconnect attempts.
        assertLogged(2, target + " is unreachable (");
        assertLogged(2, target + " is reachable again");
    }

    @Test
    void aWorkerStartsWhileRedisIsDownAndConnectsWhenItComesUp() throws Exception {
        int port = RedisServer.freePort();
        String target = "redis://127.0.0.1:" + port + "/0";
        Worker a = worker("a", "redis://127.0.0.1:" + port, Duration.ofSeconds(5));
        failsFast("get", () -> a.state.get("k"), target + " is unreachable: Connection refused");
        failsFast("subscribe", () -> a.state.subscribe("ch", m -> { }), target + " is unreachable: Connection refused");
        // Within the retry interval calls fail with the last reason, without a new attempt.
        for (int i = 0; i < 100; i++) {
            failsFast("put", () -> a.state.put("k", "v"), target + " is unreachable");
        }

        redis = RedisServer.start(port);
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> a.state.get("k").isEmpty());
        a.state.put("k", "v");
        List<String> received = new CopyOnWriteArrayList<>();
        a.state.subscribe("ch", m -> received.add(m.text()));
        assertThat(a.state.publish("ch", "hello")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("hello"));
        assertLogged(1, target + " is unreachable (Connection refused");
        assertLogged(1, target + " is reachable again");
    }

    @Test
    void aRedisThatHangsTimesCallsOut() throws Exception {
        redis = RedisServer.start();
        Worker a = worker("a", redis.uri(), Duration.ofMillis(300));
        a.state.put("k", "v");
        redis.signal("STOP");
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> a.state.get("k"))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessage("redis://127.0.0.1:" + redis.port() + "/0 did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), FAST);
        } finally {
            redis.signal("CONT");
        }
        assertThat(a.state.getString("k")).hasValue("v");
    }

    /** Throws StateUnavailableException with that message, in well under a second. */
    private static void failsFast(String what, ThrowingCallable call, String message) {
        long start = System.nanoTime();
        assertThatThrownBy(call).as(what).isInstanceOf(StateUnavailableException.class).hasMessageStartingWith(message);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what).isLessThan(FAST);
    }

    /** Lines in herd's log, which the build sends to a file (herd.error.log); each test's port is its own. */
    private static void assertLogged(int times, String text) throws IOException {
        String file = System.getProperty("herd.error.log", "-");
        if (file.equals("-")) {
            return; // logging to stderr (a run outside Maven): nothing to read back
        }
        List<String> lines = Files.readAllLines(Path.of(file)).stream().filter(l -> l.contains(text)).toList();
        assertThat(lines).as("log lines with " + text).hasSize(times);
    }
}
