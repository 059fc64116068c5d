package dev.herd.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a master's control socket lives, so that the master and {@code herd ctl} agree without
 * being told: {@code master-PID.sock} in a private directory, {@code $XDG_RUNTIME_DIR/herd} or
 * else {@code <tmp>/herd-UID}. The directory must be 0700 and ours: in a shared temp directory
 * anyone could create it first, so an existing one with other owners or modes is refused.
 */
public final class ControlSocketLocation {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private ControlSocketLocation() {
    }

    public static Path defaultDirectory() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "herd");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "herd-" + uid());
    }

    public static Path defaultSocket(long masterPid) {
        return defaultDirectory().resolve("master-" + masterPid + ".sock");
    }

    /** The sockets of masters in the default directory (for ctl when no pid is given). */
    public static List<Path> knownSockets() {
        Path dir = defaultDirectory();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("master-\\d+\\.sock")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Creates {@code dir} 0700 if missing; refuses one that others own or may enter. */
    public static void ensurePrivate(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // Someone made it meanwhile: checked below like any existing directory.
            }
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid()) {
            throw new IOException(dir + " belongs to another user (uid " + owner + "); refusing to use it");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            throw new IOException(dir + " must have mode 0700");
        }
    }

    /** This process's user id, or -1 when the platform does not say. */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
