package dev.herd.http.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps request paths under a {@link StaticMount}'s prefix to the files of its folder, refusing everything that
 * could reach outside the folder or expose what was not meant to be published.
 *
 * <p>The raw request path is decoded here, segment by segment and exactly once, so that what is checked is what
 * is opened: a path decoded twice (or decoded before being split) turns {@code %2e%2e} or {@code %2F} into
 * traversal after the checks. Every one of these is answered {@link #NOT_FOUND}, telling a prober nothing:
 * <ul>
 *   <li>a character outside visible ASCII, a raw backslash, or an empty segment ({@code a//b});</li>
 *   <li>invalid percent-encoding, or bytes that are not UTF-8 once decoded;</li>
 *   <li>an encoded {@code /}, {@code \} or NUL, or any other control character, inside a segment;</li>
 *   <li>a {@code .} or {@code ..} segment (after decoding, so {@code %2e%2e} too);</li>
 *   <li>a segment starting with a dot (a dot-file or dot-directory anywhere in the path) unless {@code dotfiles}
 *       is on. {@code .well-known} is not an exception: a folder that should publish it turns {@code dotfiles}
 *       on, rather than every folder publishing {@code .git} next to it by accident;</li>
 *   <li>a target whose real path (symbolic links followed) is not inside the folder's real path. A link inside
 *       the folder pointing elsewhere inside it is served: the operator put it there. The folder's own real path
 *       is taken per request, so a folder that is itself a link swapped at deploy time serves the new release;
 *   </li>
 *   <li>a directory without a configured index (no listings), or anything but a readable regular file.</li>
 * </ul>
 * A file found is described by its real path, which the caller should open: it holds no link left to swap
 * between this check and the opening.
 */
public final class StaticFolder {

    /** Where a request path leads in this folder. */
    public sealed interface Resolution permits NotMine, NotFound, Found, Redirect {
    }

    /** The path is not under this folder's prefix: another handler (or the app) should answer. */
    public record NotMine() implements Resolution {
    }

    /** Under the prefix, but nothing may be served for it: answer 404. */
    public record NotFound() implements Resolution {
    }

    /** A file to serve. */
    public record Found(FileInfo file) implements Resolution {
    }

    /**
     * A directory asked for without its trailing slash, while an index is configured: answer 301 to
     * {@code location} (the raw path plus {@code /}), so relative links in the index resolve under it.
     */
    public record Redirect(String location) implements Resolution {
    }

    public static final Resolution NOT_MINE = new NotMine();
    public static final Resolution NOT_FOUND = new NotFound();

    private final StaticMount mount;
    private final boolean dotfiles;
    private final String index;

    /**
     * A folder serving {@code mount}; dot-files are served only if {@code dotfiles}; a request for a directory
     * (with a trailing slash) serves its file named {@code index}, or nothing when {@code index} is null.
     */
    public StaticFolder(StaticMount mount, boolean dotfiles, String index) {
        this.mount = Objects.requireNonNull(mount, "mount");
        this.dotfiles = dotfiles;
        if (index != null && (index.isEmpty() || index.equals(".") || index.equals("..") || index.contains("/")
                || index.contains("\\") || index.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("an index is a plain file name, got '" + index + "'");
        }
        this.index = index;
    }

    public StaticMount mount() {
        return mount;
    }

    /** Where the raw (percent-encoded, without query) request path {@code rawPath} leads. */
    public Resolution resolve(String rawPath) {
        String prefix = mount.prefix();
        String rest;
        if (prefix.equals("/")) {
            if (!rawPath.startsWith("/")) {
                return NOT_MINE;
            }
            rest = rawPath;
        } else if (rawPath.equals(prefix) || rawPath.startsWith(prefix + "/")) {
            rest = rawPath.substring(prefix.length());
        } else {
            return NOT_MINE;
        }
        if (rest.isEmpty()) {
            return index == null ? NOT_FOUND : redirect(rawPath);
        }
        if (rest.startsWith("//")) {
            return NOT_FOUND; // an empty first segment, which the split below would not see when it is all there is
        }
        boolean trailingSlash = rest.endsWith("/");
        String inside = rest.substring(1, trailingSlash ? Math.max(1, rest.length() - 1) : rest.length());
        Path root;
        try {
            root = mount.directory().toRealPath();
        } catch (IOException | SecurityException e) {
            return NOT_FOUND;
        }
        Path target = root;
        if (!inside.isEmpty()) {
            for (String raw : inside.split("/", -1)) {
                String segment = decodeSegment(raw);
                if (segment == null || (!dotfiles && segment.startsWith("."))) {
                    return NOT_FOUND;
                }
                try {
                    target = target.resolve(segment);
                } catch (InvalidPathException e) {
                    return NOT_FOUND;
                }
            }
        }
        Optional<Path> real = realPathInside(target, root);
        if (real.isEmpty()) {
            return NOT_FOUND;
        }
        if (Files.isDirectory(real.get())) {
            if (index == null) {
                return NOT_FOUND;
            }
            if (!trailingSlash) {
                return redirect(rawPath);
            }
            target = target.resolve(index);
            real = realPathInside(target, root);
            if (real.isEmpty()) {
                return NOT_FOUND;
            }
        } else if (trailingSlash) {
            return NOT_FOUND; // a file named as a directory, as the file system itself would refuse it
        }
        // The type follows the name asked for, not the link's target (which may be a content-addressed blob).
        String contentType = ContentTypes.of(target);
        return FileInfo.of(real.get()).<Resolution>map(file -> new Found(file.withContentType(contentType)))
                .orElse(NOT_FOUND);
    }

    @Override
    public String toString() {
        return mount + (dotfiles ? " dotfiles" : "") + (index == null ? "" : " index=" + index);
    }

    private static Resolution redirect(String rawPath) {
        // rawPath starts with a single '/' here (the prefix check or the empty-segment check saw to it), so the
        // location cannot be read as a scheme-relative URL pointing at another host.
        return rawPath.startsWith("//") ? NOT_FOUND : new Redirect(rawPath + "/");
    }

    /** The real path of {@code target} if it exists and lies inside {@code root}, a real path. */
    private static Optional<Path> realPathInside(Path target, Path root) {
        try {
            Path real = target.toRealPath();
            return real.startsWith(root) ? Optional.of(real) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * One raw path segment, percent-decoded once as UTF-8; null when the segment is not acceptable (see the class
     * description).
     */
    static String decodeSegment(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        byte[] bytes = new byte[raw.length()];
        int length = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '\\') {
                return null;
            }
            if (c == '%') {
                int high = i + 2 < raw.length() ? hexDigit(raw.charAt(i + 1)) : -1;
                int low = high >= 0 ? hexDigit(raw.charAt(i + 2)) : -1;
                if (low < 0) {
                    return null;
                }
                int b = high << 4 | low;
                if (b < 0x20 || b == 0x7F || b == '/' || b == '\\') {
                    return null;
                }
                bytes[length++] = (byte) b;
                i += 2;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        String segment;
        try {
            segment = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return segment.equals(".") || segment.equals("..") ? null : segment;
    }

    /** The value of an ASCII hex digit, or -1 (unlike {@link Character#digit}, which takes other scripts' digits). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
