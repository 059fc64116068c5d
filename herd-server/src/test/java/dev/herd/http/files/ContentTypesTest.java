package dev.herd.http.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Types from extensions: a fixed table, charset on text, octet-stream for the rest. */
class ContentTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "index.html | text/html; charset=utf-8",
        "style.css  | text/css; charset=utf-8",
        "app.js     | text/javascript; charset=utf-8",
        "mod.mjs    | text/javascript; charset=utf-8",
        "data.json  | application/json",
        "app.js.map | application/json",
        "notes.txt  | text/plain; charset=utf-8",
        "README.md  | text/markdown; charset=utf-8",
        "t.csv      | text/csv; charset=utf-8",
        "feed.xml   | application/xml",
        "logo.svg   | image/svg+xml",
        "a.png      | image/png",
        "a.jpg      | image/jpeg",
        "a.JPEG     | image/jpeg",
        "a.gif      | image/gif",
        "a.webp     | image/webp",
        "a.avif     | image/avif",
        "favicon.ico| image/vnd.microsoft.icon",
        "f.woff     | font/woff",
        "f.woff2    | font/woff2",
        "f.ttf      | font/ttf",
        "f.otf      | font/otf",
        "v.mp4      | video/mp4",
        "v.webm     | video/webm",
        "a.mp3      | audio/mpeg",
        "a.ogg      | audio/ogg",
        "a.wav      | audio/wav",
        "d.pdf      | application/pdf",
        "x.zip      | application/zip",
        "x.tar.gz   | application/gzip",
        "x.tar      | application/x-tar",
        "m.wasm     | application/wasm",
        "x.exe      | application/octet-stream",
        "Makefile   | application/octet-stream",
        ".htaccess  | application/octet-stream",
        "trailing.  | application/octet-stream",
    })
    void fromFileNames(String name, String type) {
        assertThat(ContentTypes.forFileName(name)).isEqualTo(type);
    }

    @Test
    void fromPathsUsesTheLastElement() {
        assertThat(ContentTypes.of(Path.of("/srv/site.d/index.html"))).isEqualTo("text/html; charset=utf-8");
        assertThat(ContentTypes.of(Path.of("/srv/site.html/data"))).isEqualTo(ContentTypes.DEFAULT);
        assertThat(ContentTypes.of(Path.of("/"))).isEqualTo(ContentTypes.DEFAULT);
    }
}
