package dev.herd.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The master's private directory (0700) that holds its control socket. Created fresh for each
 * master and removed when it exits.
 */
final class ControlDirectory {

    private final Path dir;

    private ControlDirectory(Path dir) {
        this.dir = dir;
    }

    static ControlDirectory create() throws IOException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path parent = runtime != null && Files.isDirectory(Path.of(runtime))
                ? Path.of(runtime) : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(parent, "herd-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new ControlDirectory(dir);
    }

    Path controlSocket() {
        return dir.resolve("control.sock");
    }

    void delete() {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // Best effort at exit: a leftover empty 0700 directory harms nobody.
        }
    }
}
