package dev.herd.state.local;

import dev.herd.config.StateFsync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFileTest {

    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    private StateStore store() {
        return new StateStore(64L << 20, now::get);
    }

    private static String text(StateStore store, String key) {
        return store.get(key).map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void whatWasWrittenIsReadBackWithDeletesExpiriesAndIncrements() throws Exception {
        Path path = dir.resolve("state");
        StateStore first = store();
        try (StateFile file = StateFile.open(path, StateFsync.ALWAYS, first)) {
            first.put("a", "1".getBytes(), 0);
            first.put("gone", "x".getBytes(), 0);
            first.delete("gone");
            first.increment("n", 41);
            first.increment("n", 1);
            first.put("short", "s".getBytes(), 100);
            first.put("long", "l".getBytes(), 0);
            first.expire("long", 60_000);
            file.flush();
        }
        now.addAndGet(200);
        StateStore second = store();
        try (StateFile reopened = StateFile.open(path, StateFsync.ALWAYS, second)) {
            assertThat(reopened.size()).isEqualTo(Files.size(path));
            assertThat(text(second, "a")).isEqualTo("1");
            assertThat(text(second, "gone")).isNull();
            assertThat(text(second, "n")).isEqualTo("42");
            assertThat(text(second, "short")).as("its time ran out while stopped").isNull();
            assertThat(text(second, "long")).isEqualTo("l");
            assertThat(second.keyCount()).isEqualTo(3);
        }
    }

    @Test
    void compactionKeepsOnlyTheLiveKeys() throws Exception {
        Path path = dir.resolve("state");
        StateStore first = store();
        try (StateFile file = StateFile.open(path, StateFsync.NO, first)) {
            for (int i = 0; i < 10_000; i++) {
                first.put("k" + (i % 10), ("value " + i).getBytes(), 0);
            }
            file.flush();
            long before = file.size();
            file.compact(first);
            assertThat(file.size()).isLessThan(before / 100);
            first.put("after", "compaction".getBytes(), 0);
            file.flush();
        }
        StateStore second = store();
        try (StateFile reopened = StateFile.open(path, StateFsync.NO, second)) {
            assertThat(reopened.size()).isEqualTo(Files.size(path));
            assertThat(second.keyCount()).isEqualTo(11);
            assertThat(text(second, "k3")).isEqualTo("value 9993");
            assertThat(text(second, "after")).isEqualTo("compaction");
        }
        assertThat(Files.exists(dir.resolve("state.rewrite"))).isFalse();
    }

    @Test
    void aTruncatedFileIsRefusedWithTheOffsetAndLeftAsItIs() throws Exception {
        Path path = dir.resolve("state");
        StateStore first = store();
        try (StateFile file = StateFile.open(path, StateFsync.ALWAYS, first)) {
            first.put("a", "1".getBytes(), 0);
            first.put("b", "2".getBytes(), 0);
            file.flush();
        }
        byte[] whole = Files.readAllBytes(path);
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);
        Files.write(path, cut);
        long secondRecord = StateFile.MAGIC.length + (8 + 1 + 2 + 1 + 4 + 1 + 8);
        assertThatThrownBy(() -> StateFile.open(path, StateFsync.ALWAYS, store()))
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining("damaged at byte offset " + secondRecord)
                .hasMessageContaining("cut short");
        assertThat(Files.readAllBytes(path)).as("never truncated silently").isEqualTo(cut);
    }

    @Test
    void aDamagedRecordOrAForeignFileIsRefused() throws Exception {
        Path path = dir.resolve("state");
        StateStore first = store();
        try (StateFile file = StateFile.open(path, StateFsync.ALWAYS, first)) {
            first.put("a", "1".getBytes(), 0);
            file.flush();
        }
        byte[] bytes = Files.readAllBytes(path);
        bytes[bytes.length - 10] ^= 0x40;
        Files.write(path, bytes);
        assertThatThrownBy(() -> StateFile.open(path, StateFsync.ALWAYS, store()))
                .hasMessageContaining("offset " + StateFile.MAGIC.length).hasMessageContaining("checksum");

        Path foreign = dir.resolve("notes.txt");
        Files.writeString(foreign, "my notes\n");
        assertThatThrownBy(() -> StateFile.open(foreign, StateFsync.ALWAYS, store()))
                .hasMessageContaining("offset 0").hasMessageContaining("does not start as a herd state file");
        assertThat(Files.readString(foreign)).isEqualTo("my notes\n");
    }
}
