package dev.herd.http.files;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One {@code --static PREFIX=DIR} setting: the files under {@code DIR} are served at URL paths under
 * {@code PREFIX}.
 *
 * <p>The prefix is compared with the raw (still percent-encoded) request path, so it is restricted to characters
 * that stand for themselves in a path: letters, digits and {@code -._~!$&'()*+,;:@} ({@code =} ends the
 * prefix), in {@code /}-separated segments, none empty, {@code .} or {@code ..}. A trailing slash is dropped
 * ({@code /assets/} is {@code /assets}); {@code /} alone mounts the folder at the root. The directory is made
 * absolute against the working directory at parse time, so workers started elsewhere agree on it, and must exist
 * then: a typo should stop the server at startup, not turn every request into a 404.
 *
 * @param prefix    the URL path prefix, starting with {@code /}, without a trailing slash unless it is {@code /}
 * @param directory the folder, absolute and normalised (its symbolic links are resolved per request)
 */
public record StaticMount(String prefix, Path directory) {

    private static final String PATH_PUNCTUATION = "-._~!$&'()*+,;:@";

    public StaticMount {
        String problem = prefixProblem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (prefix.length() > 1 && prefix.endsWith("/")) {
            throw new IllegalArgumentException("a mount prefix has no trailing slash: " + prefix);
        }
        if (!directory.isAbsolute()) {
            throw new IllegalArgumentException("the directory of a static mount must be absolute: " + directory);
        }
    }

    /**
     * Parses and checks {@code PREFIX=DIR}; the message of the {@link IllegalArgumentException} thrown for a bad
     * value is one line, fit to show after the option name.
     */
    public static StaticMount parse(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("expected PREFIX=DIR, e.g. /assets=./public, got '" + text + "'");
        }
        String prefix = text.substring(0, equals);
        String dir = text.substring(equals + 1);
        String problem = prefixProblem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException(problem + " in '" + text + "'");
        }
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("missing DIR after '=' in '" + text + "'");
        }
        Path directory;
        try {
            directory = Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + dir + "' is not a valid path in '" + text + "'");
        }
        if (!Files.exists(directory)) {
            throw new IllegalArgumentException("directory " + directory + " does not exist (in '" + text + "')");
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory (in '" + text + "')");
        }
        String normalPrefix = prefix.length() > 1 && prefix.endsWith("/")
                ? prefix.substring(0, prefix.length() - 1) : prefix;
        return new StaticMount(normalPrefix, directory);
    }

    /** {@code PREFIX=DIR}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return prefix + '=' + directory;
    }

    /** Why {@code prefix} (a trailing slash allowed) is not a usable mount prefix, or null if it is. */
    private static String prefixProblem(String prefix) {
        if (!prefix.startsWith("/")) {
            return "PREFIX must start with '/'";
        }
        if (prefix.contains("//")) {
            return "PREFIX must not have empty, '.' or '..' segments";
        }
        String body = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(1, prefix.length() - 1)
                : prefix.substring(1);
        if (body.isEmpty()) {
            return null;
        }
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "PREFIX must not have empty, '.' or '..' segments";
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || PATH_PUNCTUATION.indexOf(c) >= 0;
                if (!plain) {
                    return "PREFIX may hold only letters, digits, '/' and " + PATH_PUNCTUATION;
                }
            }
        }
        return null;
    }
}
