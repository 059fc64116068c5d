package dev.herd.http.files;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code content-type} of a file, guessed from its extension with a fixed table of the common web types.
 *
 * <p>A fixed table rather than {@link java.nio.file.Files#probeContentType}: the JDK's answer depends on the
 * host's mime database (or its absence in a slim container), so the same site would be served with different
 * types on different machines, and browsers refuse scripts and stylesheets with the wrong type. The
 * {@code text/*} types carry {@code charset=utf-8} so browsers do not guess an encoding; JSON does not, as
 * RFC 8259 defines no charset parameter (JSON is UTF-8 by definition) and XML declares its own. Unknown
 * extensions get {@code application/octet-stream}, which browsers download instead of rendering.
 */
public final class ContentTypes {

    /** What an unknown extension, or a file without one, is served as. */
    public static final String DEFAULT = "application/octet-stream";

    private static final String UTF_8 = "; charset=utf-8";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            // documents and code
            Map.entry("html", "text/html" + UTF_8),
            Map.entry("htm", "text/html" + UTF_8),
            Map.entry("css", "text/css" + UTF_8),
            Map.entry("js", "text/javascript" + UTF_8),
            Map.entry("mjs", "text/javascript" + UTF_8),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain" + UTF_8),
            Map.entry("csv", "text/csv" + UTF_8),
            Map.entry("md", "text/markdown" + UTF_8),
            Map.entry("xml", "application/xml"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            // images
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("bmp", "image/bmp"),
            // fonts
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            // audio and video
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"),
            Map.entry("m4a", "audio/mp4"),
            // archives
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("7z", "application/x-7z-compressed"));

    private ContentTypes() {
    }

    /** The type of the file {@code path} names, from its last name element's extension. */
    public static String of(Path path) {
        Path name = path.getFileName();
        return name == null ? DEFAULT : forFileName(name.toString());
    }

    /**
     * The type for a file name, from the text after its last dot, in any case. A name whose only dot is the first
     * character ({@code .htaccess}) has no extension.
     */
    public static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
