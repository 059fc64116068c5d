package dev.herd.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class HerdLoggingTest {

    private final Properties saved = (Properties) System.getProperties().clone();

    @TempDir
    Path dir;

    @AfterEach
    void restoreProperties() {
        System.setProperties(saved);
    }

    private HerdLogging backend(String level, Path file) {
        System.setProperty("herd.role", "worker 3");
        System.setProperty("herd.pid", "4242");
        System.setProperty("herd.log.level", level);
        System.setProperty("herd.error.log", file.toString());
        HerdLogging backend = new HerdLogging();
        backend.initialize();
        return backend;
    }

    @Test
    void linesHaveTimeLevelRoleAndPidThenTheFormattedMessage() throws IOException {
        Path file = dir.resolve("herd.log");
        Logger log = backend("info", file).getLoggerFactory().getLogger("dev.herd.Some");
        log.info("worker {} pid={} ready", 1, 77);
        log.warn("slow");
        log.debug("not at info");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"
                + " INFO  \\[worker 3 4242] worker 1 pid=77 ready");
        assertThat(lines.get(1)).endsWith(" WARN  [worker 3 4242] slow");
    }

    @Test
    void aTrailingExceptionIsPrintedWithItsStackTrace() throws IOException {
        Path file = dir.resolve("herd.log");
        Logger log = backend("info", file).getLoggerFactory().getLogger("dev.herd.Some");
        log.error("app failed on {}", "GET /x", new IllegalStateException("boom"));
        String text = Files.readString(file);
        assertThat(text).contains("ERROR [worker 3 4242] app failed on GET /x\n")
                .contains("java.lang.IllegalStateException: boom\n\tat ");
    }

    @Test
    void nettyLogsOnlyWarningsUnlessTheLevelIsStricter() throws IOException {
        Path file = dir.resolve("herd.log");
        HerdLogging backend = backend("debug", file);
        backend.getLoggerFactory().getLogger("io.netty.channel.Foo").info("chatter");
        backend.getLoggerFactory().getLogger("dev.herd.Bar").debug("ours");
        backend.getLoggerFactory().getLogger("io.netty.channel.Foo").warn("trouble");
        assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("chatter"));
        Path quiet = dir.resolve("quiet.log");
        backend("error", quiet).getLoggerFactory().getLogger("io.netty.channel.Foo").warn("trouble");
        assertThat(Files.readString(quiet)).isEmpty();
    }

    @Test
    void aMessageStaysOneLineAndCannotDriveATerminal() throws IOException {
        Path file = dir.resolve("herd.log");
        Logger log = backend("info", file).getLoggerFactory().getLogger("dev.herd.Some");
        log.info("refused {}", "/a\r\n2026-01-01T00:00:00.000Z INFO  [master 1] forged\u001b[2J\u0007\u009b\u007f\tend");
        log.error("failed", new IllegalStateException("bad\u001b[31m input\nsecond line"));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.getFirst()).endsWith(" INFO  [worker 3 4242] refused /a\\r\\n2026-01-01T00:00:00.000Z INFO  "
                + "[master 1] forged\\u001b[2J\\u0007\\u009b\\u007f\tend");
        // The stack trace keeps its lines; what is in them is escaped too.
        assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: bad\\u001b[31m input");
        assertThat(lines.get(3)).isEqualTo("second line");
        assertThat(lines.get(4)).startsWith("\tat ");
        assertThat(Files.readString(file)).doesNotContain("\u001b").doesNotContain("\r");
    }

    @Test
    void jettysWarningsAboutMalformedRequestsAreDebugLines() throws IOException {
        Path file = dir.resolve("herd.log");
        HerdLogging backend = backend("info", file);
        backend.getLoggerFactory().getLogger("org.eclipse.jetty.http.HttpParser").warn("Encountered multiple `Host`");
        backend.getLoggerFactory().getLogger("org.eclipse.jetty.util.HostPort").warn("Bad IPv6 host");
        backend.getLoggerFactory().getLogger("org.eclipse.jetty.server.Server").warn("a real problem");
        assertThat(Files.readAllLines(file)).singleElement().asString().endsWith("a real problem");
        Path debug = dir.resolve("debug.log");
        backend("debug", debug).getLoggerFactory().getLogger("org.eclipse.jetty.util.HostPort").warn("Bad IPv6 host");
        assertThat(Files.readString(debug)).contains("Bad IPv6 host");
    }

    @Test
    void reopenStartsANewFileAfterTheOldOneWasMoved() throws IOException {
        Path file = dir.resolve("herd.log");
        Logger log = backend("info", file).getLoggerFactory().getLogger("dev.herd.Some");
        log.info("before");
        Path rotated = dir.resolve("herd.log.1");
        Files.move(file, rotated);
        log.info("still to the moved file");
        HerdLogging.reopen();
        log.info("after");
        assertThat(Files.readAllLines(rotated)).hasSize(2);
        assertThat(Files.readAllLines(file)).singleElement().asString().endsWith("after");
    }

    @Test
    void timeIsIsoWithMillisecondsAndOffset() {
        StringBuilder text = new StringBuilder();
        LogOutput.appendTime(text, Instant.parse("2026-01-02T03:04:05.006Z"));
        assertThat(text.toString()).matches("2026-01-0\\dT\\d\\d:\\d\\d:05\\.006(Z|[+-]\\d\\d:\\d\\d)");
    }
}
