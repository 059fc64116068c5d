package dev.herd.http.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Describing files: size, second-resolution date, nanosecond ETag, type; nothing for what cannot be served. */
class FileInfoTest {

    @TempDir
    Path dir;

    @Test
    void describesARegularFile() throws IOException {
        Path file = Files.writeString(dir.resolve("page.html"), "<p>hello</p>");
        Instant mtime = Instant.parse("2024-03-01T12:00:00.123456789Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        FileInfo info = FileInfo.of(file).orElseThrow();
        FileTime stored = Files.getLastModifiedTime(file); // the file system may keep less than nanoseconds
        assertThat(info.path()).isEqualTo(file);
        assertThat(info.size()).isEqualTo(12);
        assertThat(info.lastModified()).isEqualTo(Instant.parse("2024-03-01T12:00:00Z"));
        assertThat(info.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(info.etag()).isEqualTo(
                "\"" + Long.toHexString(stored.to(java.util.concurrent.TimeUnit.NANOSECONDS)) + "-c\"");
    }

    @Test
    void theEtagTellsSubSecondChangesAndSizesApart() {
        Path p = Path.of("/srv/a.txt");
        FileInfo a = FileInfo.from(p, 10, FileTime.from(Instant.parse("2024-03-01T12:00:00.100Z")));
        FileInfo b = FileInfo.from(p, 10, FileTime.from(Instant.parse("2024-03-01T12:00:00.200Z")));
        FileInfo c = FileInfo.from(p, 11, FileTime.from(Instant.parse("2024-03-01T12:00:00.100Z")));
        assertThat(a.lastModified()).isEqualTo(b.lastModified());
        assertThat(a.etag()).isNotEqualTo(b.etag()).isNotEqualTo(c.etag());
        assertThat(a.etag()).startsWith("\"").endsWith("-a\"").doesNotStartWith("W/");
        assertThat(a.etag()).isEqualTo(FileInfo.from(p, 10, FileTime.from(Instant.parse("2024-03-01T12:00:00.100Z")))
                .etag());
    }

    @Test
    void followsLinksToRegularFiles() throws IOException {
        Path file = Files.writeString(dir.resolve("real.css"), "a{}");
        Path link = Files.createSymbolicLink(dir.resolve("link.css"), file);
        assertThat(FileInfo.of(link)).get().extracting(FileInfo::size).isEqualTo(3L);
    }

    @Test
    void nothingForMissingDirectoriesAndDanglingLinks() throws IOException {
        assertThat(FileInfo.of(dir.resolve("missing"))).isEmpty();
        assertThat(FileInfo.of(dir)).isEmpty();
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThat(FileInfo.of(dangling)).isEmpty();
    }

    @Test
    void nothingForUnreadableFiles() throws IOException {
        assumeFalse(System.getProperty("user.name").equals("root"), "root reads everything");
        Path file = Files.writeString(dir.resolve("secret.txt"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        assertThat(FileInfo.of(file)).isEmpty();
    }

    @Test
    void withContentTypeKeepsTheRest() {
        FileInfo a = FileInfo.from(Path.of("/srv/blob"), 1, FileTime.fromMillis(0));
        FileInfo b = a.withContentType("text/css; charset=utf-8");
        assertThat(b.contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(b.etag()).isEqualTo(a.etag());
        assertThat(b.size()).isEqualTo(1);
    }
}
