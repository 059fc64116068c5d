package dev.herd.state.local;

import dev.herd.api.state.StateException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateStoreTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final StateStore store = new StateStore(1 << 20, now::get);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String text(String key) {
        return store.get(key).map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void putGetDeleteAndTimeToLive() {
        store.put("a", b("1"), 0);
        store.put("b", b("2"), 100);
        assertThat(text("a")).isEqualTo("1");
        assertThat(text("b")).isEqualTo("2");
        now.addAndGet(100);
        assertThat(text("b")).as("gone the moment its time is up").isNull();
        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(store.keyCount()).isZero();
        assertThat(store.bytes()).isZero();
    }

    @Test
    void aPutWithoutTimeToLiveClearsItAndIncrementKeepsIt() {
        store.put("k", b("x"), 50);
        store.put("k", b("y"), 0);
        now.addAndGet(60);
        assertThat(text("k")).isEqualTo("y");
        store.put("n", b("5"), 50);
        assertThat(store.increment("n", 2)).isEqualTo(7);
        now.addAndGet(60);
        assertThat(text("n")).as("the increment kept the 50 ms").isNull();
        assertThat(store.increment("n", -3)).as("absent counts as 0").isEqualTo(-3);
    }

    @Test
    void incrementRefusesWhatIsNotAnIntegerAndOverflow() {
        store.put("s", b("abc"), 0);
        assertThatThrownBy(() -> store.increment("s", 1)).isInstanceOf(StateException.class)
                .hasMessageContaining("not a decimal integer");
        store.put("max", b(Long.toString(Long.MAX_VALUE)), 0);
        assertThatThrownBy(() -> store.increment("max", 1)).hasMessageContaining("overflow");
        assertThat(text("max")).isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void putIfAbsentAndCompareAndSet() {
        assertThat(store.putIfAbsent("p", b("1"), 0)).isTrue();
        assertThat(store.putIfAbsent("p", b("2"), 0)).isFalse();
        assertThat(store.compareAndSet("p", b("2"), b("3"), 0)).isFalse();
        assertThat(store.compareAndSet("p", b("1"), b("3"), 0)).isTrue();
        assertThat(text("p")).isEqualTo("3");
        assertThat(store.compareAndSet("p", null, b("4"), 0)).as("expected absent, but it is there").isFalse();
        assertThat(store.compareAndSet("q", null, b("4"), 0)).isTrue();
        assertThat(store.compareAndSet("q", b("4"), null, 0)).as("update null deletes").isTrue();
        assertThat(text("q")).isNull();
        store.put("e", b("1"), 10);
        now.addAndGet(10);
        assertThat(store.putIfAbsent("e", b("2"), 0)).as("an expired key is absent").isTrue();
    }

    @Test
    void expireAndKeysByPrefix() {
        store.put("user:1", b("a"), 0);
        store.put("user:2", b("b"), 0);
        store.put("other", b("c"), 0);
        assertThat(store.keys("user:")).containsExactlyInAnyOrder("user:1", "user:2");
        assertThat(store.keys("")).hasSize(3);
        assertThat(store.expire("user:1", 10)).isTrue();
        assertThat(store.expire("nobody", 10)).isFalse();
        now.addAndGet(10);
        assertThat(store.keys("user:")).containsExactly("user:2");
        assertThat(store.sweep()).isEqualTo(1);
        assertThat(store.expirations()).isEqualTo(1);
    }

    @Test
    void leastRecentlyUsedKeysAreEvictedPastTheLimit() {
        StateStore small = new StateStore(10_000, now::get);
        byte[] kib = new byte[1000];
        for (int i = 0; i < 9; i++) {
            small.put("k" + i, kib, 0);
        }
        small.get("k0"); // now the most recently used
        small.put("k9", kib, 0);
        small.put("k10", kib, 0);
        assertThat(small.bytes()).isLessThanOrEqualTo(10_000);
        assertThat(small.evictions()).isGreaterThanOrEqualTo(1);
        assertThat(small.get("k0")).as("read recently: kept").isPresent();
        assertThat(small.get("k1")).as("the least recently used: evicted").isEmpty();
        assertThat(small.get("k10")).isPresent();
    }

    @Test
    void sweepDropsOnlyExpiredKeysAndTheIndexFollowsChangedDeadlines() {
        for (int i = 0; i < 100; i++) {
            store.put("t" + i, b("v"), 10 + i);
        }
        store.expire("t0", 1000);
        now.addAndGet(50);
        assertThat(store.sweep()).isEqualTo(40); // t1..t40 (deadlines 11..50); t0 was moved on
        assertThat(store.keyCount()).isEqualTo(60);
        assertThat(store.get("t0")).isPresent();
    }
}
