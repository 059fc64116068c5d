package dev.herd.redis;

import dev.herd.api.state.AsyncSharedState;
import dev.herd.api.state.SharedState;
import dev.herd.api.state.StateException;
import dev.herd.api.state.StateLimits;
import dev.herd.api.state.StateUnavailableException;
import dev.herd.api.state.Subscription;
import dev.herd.state.BlockingSharedState;
import dev.herd.state.StateBackend;
import dev.herd.state.StateOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every operation's semantics against a real redis-server, through the blocking flavour herd gives apps. */
class RedisBackendTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static RedisServer redis;
    private static Worker worker;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        worker = new Worker("a", redis.uri());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void emptyRedis() throws Exception {
        assertThat(redis.call("FLUSHALL")).isEqualTo("OK");
    }

    private static SharedState state() {
        return worker.state;
    }

    @Test
    void getsWhatWasPut() {
        assertThat(state().get("absent")).isEmpty();
        state().put("k", new byte[]{0, 1, (byte) 0xff});
        assertThat(state().get("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(0, 1, 0xff));
        state().put("k", "héllo");
        assertThat(state().getString("k")).hasValue("héllo");
    }

    @Test
    void aTimeToLiveExpiresTheKey() throws Exception {
        state().put("short", "lived", Duration.ofMillis(200));
        assertThat(state().getString("short")).hasValue("lived");
        long pttl = Long.parseLong(redis.call("PTTL", "short"));
        assertThat(pttl).isBetween(1L, 200L);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> state().get("short").isEmpty());
    }

    @Test
    void aPutWithoutTimeToLiveClearsTheOldOne() throws Exception {
        state().put("k", "v1", Duration.ofMillis(200));
        state().put("k", "v2");
        assertThat(redis.call("PTTL", "k")).isEqualTo("-1");
        Thread.sleep(300);
        assertThat(state().getString("k")).hasValue("v2");
    }

    @Test
    void putIfAbsentSetsOnlyOnce() throws Exception {
        assertThat(state().putIfAbsent("once", "first", null)).isTrue();
        assertThat(state().putIfAbsent("once", "second", null)).isFalse();
        assertThat(state().getString("once")).hasValue("first");
        assertThat(redis.call("PTTL", "once")).isEqualTo("-1");

        assertThat(state().putIfAbsent("lease", "me", Duration.ofSeconds(30))).isTrue();
        assertThat(Long.parseLong(redis.call("PTTL", "lease"))).isBetween(1L, 30_000L);
    }

    @Test
    void compareAndSetWhenAbsent() throws Exception {
        assertThat(state().compareAndSet("c", null, "v1", null)).isTrue();
        assertThat(state().getString("c")).hasValue("v1");
        assertThat(state().compareAndSet("c", null, "v2", null)).as("only if absent").isFalse();
        assertThat(state().getString("c")).hasValue("v1");
        assertThat(redis.call("PTTL", "c")).isEqualTo("-1");
    }

    @Test
    void compareAndSetWhenEqualOrNot() throws Exception {
        state().put("c", "v1", Duration.ofSeconds(60));
        assertThat(state().compareAndSet("c", "other", "v2", null)).isFalse();
        assertThat(state().getString("c")).hasValue("v1");
        assertThat(Long.parseLong(redis.call("PTTL", "c"))).as("unchanged").isPositive();

        assertThat(state().compareAndSet("c", "v1", "v2", null)).isTrue();
        assertThat(state().getString("c")).hasValue("v2");
        assertThat(redis.call("PTTL", "c")).as("null ttl: none").isEqualTo("-1");

        assertThat(state().compareAndSet("c", "v2", "v3", Duration.ofSeconds(30))).isTrue();
        assertThat(Long.parseLong(redis.call("PTTL", "c"))).isBetween(1L, 30_000L);

        assertThat(state().compareAndSet("absent", "v1", "v2", null)).as("expected a value, none there").isFalse();
        assertThat(state().get("absent")).isEmpty();
    }

    @Test
    void compareAndSetComparesBytes() {
        byte[] binary = {(byte) 0xc3, 0, (byte) 0xff};
        state().put("b", binary);
        assertThat(state().compareAndSet("b", new byte[]{(byte) 0xc3, 0}, new byte[]{1}, null)).isFalse();
        assertThat(state().compareAndSet("b", binary.clone(), new byte[]{1}, null)).isTrue();
        assertThat(state().get("b")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
    }

    @Test
    void compareAndSetToNullDeletes() {
        state().put("c", "v1");
        assertThat(state().compareAndSet("c", "v2", null, null)).isFalse();
        assertThat(state().get("c")).isPresent();
        assertThat(state().compareAndSet("c", "v1", null, null)).isTrue();
        assertThat(state().get("c")).isEmpty();
    }

    @Test
    void compareAndSetWorksAfterRedisForgetsTheScript() throws Exception {
        assertThat(state().compareAndSet("c", null, "v1", null)).isTrue();
        assertThat(redis.call("SCRIPT", "FLUSH")).isEqualTo("OK");
        assertThat(state().compareAndSet("c", "v1", "v2", null)).isTrue();
        assertThat(state().getString("c")).hasValue("v2");
    }

    @Test
    void incrementCountsFromZeroAndKeepsTheTimeToLive() throws Exception {
        assertThat(state().increment("n")).isEqualTo(1);
        assertThat(state().increment("n", 41)).isEqualTo(42);
        assertThat(state().increment("n", -50)).isEqualTo(-8);
        assertThat(state().getString("n")).hasValue("-8");

        state().put("ttl", "5", Duration.ofSeconds(60));
        assertThat(state().increment("ttl")).isEqualTo(6);
        assertThat(Long.parseLong(redis.call("PTTL", "ttl"))).isBetween(1L, 60_000L);
    }

    @Test
    void incrementRefusesWhatIsNotAnInteger() {
        state().put("text", "abc");
        assertThatThrownBy(() -> state().increment("text"))
                .isExactlyInstanceOf(StateException.class)
                .hasMessageContaining("'text'")
                .hasMessageContaining("not a 64-bit decimal integer");
        state().put("max", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> state().increment("max"))
                .isExactlyInstanceOf(StateException.class)
                .hasMessageContaining("would overflow");
        assertThat(state().getString("max")).hasValue(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void aKeyOfAnotherTypeIsRefused() throws Exception {
        redis.call("RPUSH", "list", "x");
        assertThatThrownBy(() -> state().get("list"))
                .isExactlyInstanceOf(StateException.class)
                .hasMessageContaining("GET")
                .hasMessageContaining("WRONGTYPE");
        assertThatThrownBy(() -> state().compareAndSet("list", null, "v", null))
                .isExactlyInstanceOf(StateException.class)
                .hasMessageContaining("WRONGTYPE");
    }

    @Test
    void deleteAndExpireSayWhetherTheKeyWasThere() throws Exception {
        assertThat(state().delete("k")).isFalse();
        assertThat(state().expire("k", Duration.ofSeconds(5))).isFalse();
        state().put("k", "v");
        assertThat(state().expire("k", Duration.ofSeconds(5))).isTrue();
        assertThat(Long.parseLong(redis.call("PTTL", "k"))).isBetween(1L, 5000L);
        assertThat(state().delete("k")).isTrue();
        assertThat(state().get("k")).isEmpty();
    }

    @Test
    void keysByPrefixTakeGlobCharactersLiterally() {
        for (String key : List.of("a*b:1", "a*b:2", "axb:3", "a*bc", "a\\*b:4", "a[*]b:5", "?:6", "é:7")) {
            state().put(key, "v");
        }
        assertThat(state().keys("a*b:")).containsExactlyInAnyOrder("a*b:1", "a*b:2");
        assertThat(state().keys("a\\*b")).containsExactlyInAnyOrder("a\\*b:4");
        assertThat(state().keys("a[*]")).containsExactlyInAnyOrder("a[*]b:5");
        assertThat(state().keys("?")).containsExactlyInAnyOrder("?:6");
        assertThat(state().keys("é")).containsExactlyInAnyOrder("é:7");
        assertThat(state().keys("")).hasSize(8);
        assertThat(state().keys("none:")).isEmpty();
    }

    @Test
    void keysReadEveryPage() throws Exception {
        // Many keys in one go (MSET), then SCAN needs several pages of 1000.
        List<String> args = new ArrayList<>(List.of("MSET"));
        for (int i = 0; i < 2500; i++) {
            args.add("many:" + i);
            args.add("v");
        }
        args.addAll(List.of("other:1", "v"));
        assertThat(redis.call(args.toArray(String[]::new))).isEqualTo("OK");
        List<String> keys = state().keys("many:");
        assertThat(keys).hasSize(2500).doesNotHaveDuplicates();
    }

    @Test
    void limitsThrowBeforeAnythingIsSent() throws Exception {
        String tooLong = "k".repeat(StateLimits.MAX_KEY_BYTES + 1);
        byte[] tooBig = new byte[StateLimits.MAX_VALUE_BYTES + 1];
        AsyncSharedState async = state().async();
        assertThat(redis.call("CONFIG", "RESETSTAT")).isEqualTo("OK");
        assertThatThrownBy(() -> async.get(tooLong)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key limit");
        assertThatThrownBy(() -> async.get("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.put("k", tooBig, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value limit");
        assertThatThrownBy(() -> async.put("k", (byte[]) null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.put("k", "v", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> async.putIfAbsent("k", tooBig, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.compareAndSet("k", tooBig, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.compareAndSet("k", null, tooBig, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.compareAndSet("k", null, new byte[1], Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.increment(tooLong, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.delete(tooLong)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.expire("k", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.expire("k", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.keys(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.keys(tooLong)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.publish("", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.publish("c", tooBig)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> async.subscribe(tooLong, m -> { })).isInstanceOf(IllegalArgumentException.class);
        // Nothing reached Redis: it saw no command but this test's own.
        String stats = redis.call("INFO", "commandstats");
        for (String command : List.of("cmdstat_get:", "cmdstat_set:", "cmdstat_evalsha:", "cmdstat_incrby:",
                "cmdstat_del:", "cmdstat_pexpire:", "cmdstat_scan:", "cmdstat_publish:", "cmdstat_subscribe:")) {
            assertThat(stats).doesNotContain(command);
        }
    }

    @Test
    void publishReachesEverySubscribedWorkerInOrder() throws Exception {
        try (Worker b = new Worker("b", redis.uri()); Worker c = new Worker("c", redis.uri())) {
            List<String> atB = new CopyOnWriteArrayList<>();
            List<String> atC = new CopyOnWriteArrayList<>();
            Set<String> threads = new HashSet<>();
            Subscription onB = b.state.subscribe("news", m -> {
                atB.add(m.text());
                threads.add(Thread.currentThread().getName());
            });
            Subscription onC = c.state.subscribe("news", m -> atC.add(m.channel() + ":" + m.text()));
            assertThat(onB.channel()).isEqualTo("news");

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add("m" + i);
                assertThat(state().publish("news", "m" + i)).as("two workers listen").isEqualTo(2);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> atB.size() == 200 && atC.size() == 200);
            assertThat(atB).containsExactlyElementsOf(sent);
            assertThat(atC).containsExactlyElementsOf(sent.stream().map(m -> "news:" + m).toList());
            assertThat(threads).containsExactly("deliveries-b");

            // Closing sends UNSUBSCRIBE without waiting for it: a message already on its way may still come.
            onC.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> state().publish("news", "after") == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> atB.contains("after"));
            assertThat(atC).doesNotContain("news:after");
            onB.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> state().publish("news", "nobody") == 0);
        }
    }

    @Test
    void listenersOfOneWorkerShareItsSubscription() throws Exception {
        try (Worker b = new Worker("b", redis.uri())) {
            List<String> first = new CopyOnWriteArrayList<>();
            List<String> second = new CopyOnWriteArrayList<>();
            Subscription one = b.state.subscribe("ch", m -> first.add(m.text()));
            Subscription two = b.state.subscribe("ch", m -> {
                second.add(m.text());
                throw new IllegalStateException("a failing listener stops nobody else");
            });
            Subscription other = b.state.subscribe("other", m -> first.add("other:" + m.text()));
            assertThat(state().publish("ch", "x")).as("one connection").isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> first.contains("x") && second.contains("x"));

            two.close();
            two.close();
            assertThat(state().publish("ch", "y")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> first.contains("y"));
            one.close();
            await("the last listener unsubscribed").atMost(Duration.ofSeconds(5))
                    .until(() -> state().publish("ch", "z") == 0);
            assertThat(state().publish("other", "w")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> first.contains("other:w"));
            assertThat(first).containsExactly("x", "y", "other:w");
            assertThat(second).containsExactly("x");
            other.close();

            Subscription again = b.state.subscribe("ch", m -> first.add("again:" + m.text()));
            assertThat(state().publish("ch", "v")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> first.contains("again:v"));
            again.close();
        }
    }

    @Test
    void sixteenThreadsIncrementExactly() throws Exception {
        int threads = 16;
        int each = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        state().increment("counter");
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("16 threads x 10,000 increments: %d ms, %.0f increments/s%n",
                    millis, threads * each * 1000.0 / Math.max(1, millis));
        } finally {
            pool.shutdownNow();
        }
        assertThat(state().getString("counter")).hasValue(Integer.toString(threads * each));
    }

    @Test
    void describeHidesThePassword() throws Exception {
        try (StateBackend backend = new RedisBackendProvider().open(
                URI.create("redis://:s3cret@127.0.0.1:" + redis.port() + "/2"), options())) {
            assertThat(backend.describe()).isEqualTo("redis://127.0.0.1:" + redis.port() + "/2");
        }
    }

    @Test
    void aHostNameAndADatabaseNumber() throws Exception {
        // A host name, not an address: Lettuce resolves it (Netty's resolver reads /etc/hosts).
        try (Worker db3 = new Worker("db3", "redis://localhost:" + redis.port() + "/3")) {
            db3.state.put("in3", "v");
            assertThat(state().get("in3")).isEmpty();
            assertThat(redis.call("SELECT", "3")).isEqualTo("OK");
        }
    }

    @Test
    void aUserAndPasswordAuthenticate() throws Exception {
        assertThat(redis.call("ACL", "SETUSER", "app", "on", ">right", "~*", "&*", "+@all")).isEqualTo("OK");
        try (Worker app = new Worker("app", "redis://app:right@127.0.0.1:" + redis.port())) {
            app.state.put("k", "v");
            assertThat(state().getString("k")).hasValue("v");
            assertThat(app.backend.describe()).isEqualTo("redis://app@127.0.0.1:" + redis.port() + "/0");
        }
        // A wrong password fails each call, saying why, and never shows the password.
        try (Worker wrong = new Worker("wrong", "redis://app:nope@127.0.0.1:" + redis.port())) {
            assertThatThrownBy(() -> wrong.state.get("k"))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageStartingWith("redis://app@127.0.0.1:" + redis.port() + "/0 is unreachable: ")
                    .hasMessageMatching(".*: (WRONGPASS|the connection closed during its handshake).*")
                    .hasMessageNotContaining("nope");
        } finally {
            redis.call("ACL", "DELUSER", "app");
        }
    }

    @Test
    void closeLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        Worker extra = new Worker("extra", redis.uri());
        extra.state.put("k", "v");
        extra.state.subscribe("ch", m -> { }).close();
        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("herd-redis")).toList();
        assertThat(started).as("Lettuce's threads, renamed").isNotEmpty()
                .as("daemons, so that even a worker that never closes can exit").allMatch(Thread::isDaemon);
        long start = System.nanoTime();
        extra.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close is prompt").isLessThan(Duration.ofSeconds(1));
        // Netty completes an event loop's termination just before its thread returns.
        await().atMost(Duration.ofSeconds(1)).until(() -> started.stream().noneMatch(Thread::isAlive));
        assertThatThrownBy(() -> extra.state.get("k")).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("closed");
    }

    static StateOptions options() {
        return new StateOptions(TIMEOUT, Runnable::run);
    }

    /** What one herd worker has: a backend, its blocking flavour, and its one delivery thread. */
    static final class Worker implements AutoCloseable {
        final StateBackend backend;
        final SharedState state;
        private final StateOptions options;

        Worker(String name, String uri) throws Exception {
            this(name, uri, TIMEOUT);
        }

        Worker(String name, String uri, Duration timeout) throws Exception {
            this.options = new StateOptions(timeout,
                    Executors.newSingleThreadExecutor(r -> new Thread(r, "deliveries-" + name)));
            this.backend = new RedisBackendProvider().open(URI.create(uri), options);
            this.state = new BlockingSharedState(backend.async(), timeout);
        }

        @Override
        public void close() {
            backend.close();
            ((ExecutorService) options.deliveries()).shutdownNow();
        }
    }
}
