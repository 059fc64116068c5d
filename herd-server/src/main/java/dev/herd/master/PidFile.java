package dev.herd.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code --pid} file: written atomically (a reader never sees it half-written), removed on
 * exit only while it still names this master (a newer master may have taken the path).
 */
final class PidFile {

    private final Path path;
    private final String content;

    private PidFile(Path path, long pid) {
        this.path = path;
        this.content = pid + "\n";
    }

    static PidFile write(Path path, long pid) throws IOException {
        PidFile file = new PidFile(path.toAbsolutePath(), pid);
        Path dir = file.path.getParent();
        Path temp = Files.createTempFile(dir, "." + file.path.getFileName(), ".tmp");
        try {
            Files.writeString(temp, file.content, StandardCharsets.US_ASCII);
            Files.move(temp, file.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    void delete() {
        try {
            if (Files.readString(path, StandardCharsets.US_ASCII).equals(content)) {
                Files.delete(path);
            }
        } catch (IOException ignored) {
            // Already gone, or replaced: either way not ours to remove.
        }
    }
}
