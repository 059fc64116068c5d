package dev.herd.http;

import dev.herd.config.Config;
import dev.herd.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The access log file: a line per answered request, appended, shared, reopened for logrotate. */
class AccessLogTest {

    @TempDir
    Path dir;

    @Test
    void oneLinePerAnsweredRequestIncludingRefusals() throws IOException {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.open(file.toString(), "%(m)s %(U)s %(s)s %(b)s");
        Config config = Config.defaults().with(Settings.READ_TIMEOUT, Duration.ofSeconds(1));
        TestConnection c = new TestConnection(config, log);
        c.send("GET /one HTTP/1.1\nHost: x\n\nHEAD /two HTTP/1.1\nHost: x\n\n");
        c.send("GET /three HTTP/1.1\nHost: x\nContent-Length: 5, 6\n\n");
        log.close();
        assertThat(Files.readAllLines(file)).containsExactly("GET /one 200 8", "HEAD /two 200 -", "GET /three 400 12");

        AccessLog again = AccessLog.open(file.toString(), "%(r)s %(s)s");
        TestConnection slow = new TestConnection(config, again);
        slow.send("GET /slow HTTP/1.1\n").advance(Duration.ofSeconds(2));
        again.close();
        assertThat(Files.readAllLines(file)).hasSize(4).last().isEqualTo("- 408");
    }

    @Test
    void severalWritersAppendWholeLinesToOneFile() throws IOException {
        Path file = dir.resolve("shared.log");
        AccessLogWriter first = new AccessLogWriter(file);
        AccessLogWriter second = new AccessLogWriter(file);
        for (int i = 0; i < 2000; i++) {
            first.write("first " + i + " " + "x".repeat(i % 97) + "\n");
            second.write("second " + i + " " + "y".repeat(i % 89) + "\n");
        }
        first.close(5000);
        second.close(5000);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4000);
        assertThat(lines).allMatch(line -> line.matches("first \\d+ x*|second \\d+ y*"));
    }

    @Test
    void reopenFollowsThePathAfterLogrotateMovedTheFile() throws IOException {
        Path file = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        AccessLogWriter writer = new AccessLogWriter(file);
        writer.write("before\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && Files.size(file) > 0);
        Files.move(file, rotated);
        writer.reopen();
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file));
        writer.write("after\n");
        writer.close(5000);
        assertThat(Files.readAllLines(rotated)).containsExactly("before");
        assertThat(Files.readAllLines(file)).containsExactly("after");
    }

    @Test
    void emptyTargetIsOffAndAnUnwritablePathFailsAtOnce() throws IOException {
        assertThat(AccessLog.open("", "%(s)s").enabled()).isFalse();
        assertThatThrownBy(() -> AccessLog.open(dir.resolve("missing/dir/access.log").toString(), "%(s)s"))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot open the access log");
    }
}
