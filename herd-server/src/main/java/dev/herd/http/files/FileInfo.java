package dev.herd.http.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What HTTP needs to know about a regular file before serving it: its size, its validators and its type.
 *
 * <p>{@code lastModified} is truncated to whole seconds because HTTP-dates have no finer resolution: comparing
 * a full-precision time with a date the client echoed back would never find them equal. The entity tag is
 * therefore the finer validator: it is built from the modification time in nanoseconds and the size, so two
 * versions written within the same second still differ (where the file system keeps sub-second times). It is
 * a strong tag because a file's bytes are served unchanged; an edit that keeps both size and time identical is
 * the one case it misses, as with every server that does not hash content (hashing would mean reading each
 * file before its first byte could be sent).
 *
 * @param path         the file, as it will be opened for sending
 * @param size         its length in bytes
 * @param lastModified its modification time, truncated to seconds
 * @param etag         its strong entity tag, quotes included, e.g. {@code "18f0a1b2c3d4e5f6-1a2b"}
 * @param contentType  the {@code content-type} value to send, from {@link ContentTypes}
 */
public record FileInfo(Path path, long size, Instant lastModified, String etag, String contentType) {

    public FileInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(contentType, "contentType");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }

    /**
     * The file at {@code path}, following symbolic links, or empty when there is nothing servable there: no such
     * file, not a regular file (a directory, a device, a socket), not readable by this process, or an I/O error
     * while looking.
     */
    public static Optional<FileInfo> of(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile() || !Files.isReadable(path)) {
            return Optional.empty();
        }
        return Optional.of(from(path, attributes.size(), attributes.lastModifiedTime()));
    }

    /** The description of a file of the given size and modification time, for callers that already have them. */
    public static FileInfo from(Path path, long size, FileTime modified) {
        long nanos = modified.to(TimeUnit.NANOSECONDS);
        String etag = '"' + Long.toHexString(nanos) + '-' + Long.toHexString(size) + '"';
        Instant seconds = modified.toInstant().truncatedTo(ChronoUnit.SECONDS);
        return new FileInfo(path, size, seconds, etag, ContentTypes.of(path));
    }

    /** This description with another {@code content-type}, e.g. one chosen from the name a link was asked by. */
    public FileInfo withContentType(String type) {
        return new FileInfo(path, size, lastModified, etag, type);
    }
}
