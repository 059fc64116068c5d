package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --reload}: a changed app is served by a new generation; a broken one leaves the old serving. */
class ReloadOnChangeIT {

    @Test
    void aReplacedWarIsServedAndABrokenOneLeavesTheOldGenerationServing(@TempDir Path dir) throws Exception {
        Path war = dir.resolve("app.war");
        Files.copy(ServletApps.war("jersey"), war);
        try (HerdProcess herd = HerdProcess.start(Map.of(), dir, "-w", "1", "--reload", "app.war")) {
            long first = herd.workerPids().getFirst();
            assertThat(herd.get("/api/pid").body()).isEqualTo(Long.toString(first));
            herd.awaitLog(Pattern.compile("--reload: watching \\[" + Pattern.quote(war.toString()) + "\\]"), Duration.ofSeconds(5));

            Path next = dir.resolve("next.war.tmp");
            Files.copy(ServletApps.war("spring"), next);
            Files.move(next, war, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            herd.awaitLog(Pattern.compile("--reload: .*app\\.war changed; reloading"), Duration.ofSeconds(10));
            herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), Duration.ofSeconds(60));
            // Once the old worker has drained: until then the client's keep-alive connection may still reach it.
            herd.awaitLog(Pattern.compile("pid=" + first + " exited with status 0"), Duration.ofSeconds(20));
            assertThat(herd.get("/greeting?name=reload").body()).contains("hello, reload");

            int linesBefore = herd.lineCount();
            Files.writeString(war, "this is not a zip archive");
            herd.awaitLog(Pattern.compile("reload refused, generation 2 keeps serving: .*app\\.war is not a WAR"),
                    linesBefore, Duration.ofSeconds(10));
            assertThat(herd.get("/greeting").statusCode()).isEqualTo(200);
            assertThat(herd.ctl("status").output()).contains("generation 2");
        }
    }

    @Test
    void aChangedClassesFolderReloadsOnceForManyFiles(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes");
        Path source = Path.of(System.getProperty("herd.test.classes"));
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = classes.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        try (HerdProcess herd = HerdProcess.start(Map.of(), dir, "-w", "1", "--reload", "--app-jar", classes.toString(),
                "--servlet", "dev.herd.it.servlets.HelloServlet")) {
            long first = herd.workerPids().getFirst();
            // A build touches many files at once; the master hears of them once they settle.
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                }
            }
            Files.createDirectories(classes.resolve("dev/herd/it/added"));
            Files.writeString(classes.resolve("dev/herd/it/added/notes.txt"), "new folder, new file");
            herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), Duration.ofSeconds(30));
            Thread.sleep(2 * 500 + 500);
            assertThat(herd.log()).doesNotContain("generation 3");
            assertThat(herd.get("/").body()).isNotEqualTo(Long.toString(first));
        }
    }
}
