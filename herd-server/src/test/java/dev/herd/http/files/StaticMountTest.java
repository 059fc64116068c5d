package dev.herd.http.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --static PREFIX=DIR values, checked at startup with one-line messages. */
class StaticMountTest {

    @TempDir
    Path dir;

    @Test
    void parsesPrefixAndDirectory() {
        StaticMount mount = StaticMount.parse("/assets=" + dir);
        assertThat(mount.prefix()).isEqualTo("/assets");
        assertThat(mount.directory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(StaticMount.parse(mount.toString())).isEqualTo(mount);
    }

    @Test
    void dropsATrailingSlashButKeepsTheRoot() {
        assertThat(StaticMount.parse("/assets/=" + dir).prefix()).isEqualTo("/assets");
        assertThat(StaticMount.parse("/=" + dir).prefix()).isEqualTo("/");
        assertThat(StaticMount.parse("/a/b-c_d.e~f=" + dir).prefix()).isEqualTo("/a/b-c_d.e~f");
    }

    @Test
    void makesARelativeDirectoryAbsolute() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        assertThat(StaticMount.parse("/s=.").directory()).isEqualTo(cwd);
        assertThat(StaticMount.parse("/s=./").directory()).isEqualTo(cwd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"assets", "", "//", "/a//b", "/a/../b", "/./a", "/a b", "/a%20b", "/a?b", "/a#b",
        "/a\\b", "/caf\u00e9"})
    void rejectsBadPrefixes(String prefix) {
        assertThatThrownBy(() -> StaticMount.parse(prefix + "=" + dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PREFIX")
                .hasMessageNotContaining("\n");
    }

    @Test
    void rejectsMissingPartsAndMissingDirectories() throws IOException {
        assertThatThrownBy(() -> StaticMount.parse("/assets")).hasMessage(
                "expected PREFIX=DIR, e.g. /assets=./public, got '/assets'");
        assertThatThrownBy(() -> StaticMount.parse("/assets=")).hasMessageContaining("missing DIR");
        assertThatThrownBy(() -> StaticMount.parse("/assets=" + dir.resolve("nope")))
                .hasMessageContaining("does not exist");
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertThatThrownBy(() -> StaticMount.parse("/assets=" + file)).hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> StaticMount.parse("/assets=a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConstructorChecksToo() {
        assertThatThrownBy(() -> new StaticMount("/a/", dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StaticMount("a", dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StaticMount("/a", Path.of("rel"))).isInstanceOf(IllegalArgumentException.class);
    }
}
