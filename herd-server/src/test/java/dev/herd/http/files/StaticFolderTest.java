package dev.herd.http.files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * URL paths to files under a mount, against a real folder:
 * <pre>
 * tmp/secret.txt            outside the folder
 * tmp/public2/x.txt         a sibling whose name starts like the folder's
 * tmp/public/               the folder, mounted at /assets
 *   index.html  app.js  a b.txt  café.txt  100%.txt  .env  .well-known/security.txt  .hidden/visible.txt
 *   docs/index.html  docs/guide.txt  empty/
 *   link-in.txt -> app.js      link-dir-in -> docs
 *   link-out.txt -> ../secret.txt   link-out-dir -> ..   link-sibling.txt -> ../public2/x.txt
 * </pre>
 */
class StaticFolderTest {

    @TempDir
    Path tmp;
    Path folder;
    StaticMount mount;

    @BeforeEach
    void createFolder() throws IOException {
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createDirectories(tmp.resolve("public2"));
        Files.writeString(tmp.resolve("public2/x.txt"), "sibling");
        folder = Files.createDirectories(tmp.resolve("public"));
        for (String name : new String[] {"index.html", "app.js", "a b.txt", "café.txt", "100%.txt", ".env",
            ".well-known/security.txt", ".hidden/visible.txt", "docs/index.html", "docs/guide.txt"}) {
            Path file = folder.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, name);
        }
        Files.createDirectories(folder.resolve("empty"));
        Files.createSymbolicLink(folder.resolve("link-in.txt"), Path.of("app.js"));
        Files.createSymbolicLink(folder.resolve("link-dir-in"), Path.of("docs"));
        Files.createSymbolicLink(folder.resolve("link-out.txt"), Path.of("../secret.txt"));
        Files.createSymbolicLink(folder.resolve("link-out-dir"), Path.of(".."));
        Files.createSymbolicLink(folder.resolve("link-sibling.txt"), Path.of("../public2/x.txt"));
        mount = StaticMount.parse("/assets=" + folder);
    }

    private StaticFolder folder(boolean dotfiles, String index) {
        return new StaticFolder(mount, dotfiles, index);
    }

    private static StaticFolder.Resolution found(String relative, Path folder) throws IOException {
        return new StaticFolder.Found(FileInfo.of(folder.toRealPath().resolve(relative)).orElseThrow());
    }

    private StaticFolder.Resolution found(String relative) throws IOException {
        return found(relative, folder);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assetsx", "/assetsx/app.js", "/other/app.js", "/", "", "assets/app.js", "/Assets/app.js",
        "/asset"})
    void pathsOutsideThePrefixAreNotMine(String path) {
        assertThat(folder(false, "index.html").resolve(path)).isEqualTo(StaticFolder.NOT_MINE);
    }

    @Test
    void servesFiles() throws IOException {
        StaticFolder f = folder(false, null);
        assertThat(f.resolve("/assets/app.js")).isEqualTo(found("app.js"));
        assertThat(f.resolve("/assets/docs/guide.txt")).isEqualTo(found("docs/guide.txt"));
        assertThat(f.resolve("/assets/missing.js")).isEqualTo(StaticFolder.NOT_FOUND);
        assertThat(f.resolve("/assets/app.js/")).isEqualTo(StaticFolder.NOT_FOUND);
        assertThat(f.resolve("/assets/app.js/x")).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @Test
    void decodesEachSegmentOnce() throws IOException {
        StaticFolder f = folder(false, null);
        assertThat(f.resolve("/assets/a%20b.txt")).isEqualTo(found("a b.txt"));
        assertThat(f.resolve("/assets/caf%C3%A9.txt")).isEqualTo(found("café.txt"));
        assertThat(f.resolve("/assets/caf%c3%a9.txt")).isEqualTo(found("café.txt"));
        assertThat(f.resolve("/assets/app%2Ejs")).isEqualTo(found("app.js"));
        assertThat(f.resolve("/assets/100%25.txt")).isEqualTo(found("100%.txt"));
        assertThat(f.resolve("/assets/%2561pp.js")).isEqualTo(StaticFolder.NOT_FOUND); // "%61pp.js", not "app.js"
    }

    @Test
    void directoriesWithoutIndexAreNotFound() {
        StaticFolder f = folder(false, null);
        for (String path : new String[] {"/assets", "/assets/", "/assets/docs", "/assets/docs/", "/assets/empty/"}) {
            assertThat(f.resolve(path)).as(path).isEqualTo(StaticFolder.NOT_FOUND);
        }
    }

    @Test
    void directoriesWithIndex() throws IOException {
        StaticFolder f = folder(false, "index.html");
        assertThat(f.resolve("/assets")).isEqualTo(new StaticFolder.Redirect("/assets/"));
        assertThat(f.resolve("/assets/")).isEqualTo(found("index.html"));
        assertThat(f.resolve("/assets/docs")).isEqualTo(new StaticFolder.Redirect("/assets/docs/"));
        assertThat(f.resolve("/assets/docs/")).isEqualTo(found("docs/index.html"));
        assertThat(f.resolve("/assets/empty")).isEqualTo(new StaticFolder.Redirect("/assets/empty/"));
        assertThat(f.resolve("/assets/empty/")).isEqualTo(StaticFolder.NOT_FOUND);
        assertThat(f.resolve("/assets/d%6fcs")).isEqualTo(new StaticFolder.Redirect("/assets/d%6fcs/"));
    }

    @Test
    void aRootMount() throws IOException {
        StaticFolder f = new StaticFolder(StaticMount.parse("/=" + folder), false, "index.html");
        assertThat(f.resolve("/")).isEqualTo(found("index.html"));
        assertThat(f.resolve("/app.js")).isEqualTo(found("app.js"));
        assertThat(f.resolve("/docs")).isEqualTo(new StaticFolder.Redirect("/docs/"));
        assertThat(f.resolve("//")).isEqualTo(StaticFolder.NOT_FOUND);
        assertThat(f.resolve("//docs")).isEqualTo(StaticFolder.NOT_FOUND); // never a redirect to //docs/
        assertThat(f.resolve("//evil.example")).isEqualTo(StaticFolder.NOT_FOUND);
        assertThat(f.resolve("app.js")).isEqualTo(StaticFolder.NOT_MINE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/%2E%2E/secret.txt", "/assets/.%2e/secret.txt",
        "/assets/docs/../app.js", "/assets/./app.js", "/assets/%2e/app.js", "/assets/docs/..", "/assets/..",
    })
    void dotSegmentsAreRejected(String path) {
        assertThat(folder(true, "index.html").resolve(path)).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/assets/docs%2Fguide.txt", "/assets/docs%2fguide.txt", "/assets/docs%5Cguide.txt", "/assets/app.js%00",
        "/assets/app.js%00.png", "/assets/docs\\guide.txt", "/assets/..\\secret.txt", "/assets/%2e%2e%2fsecret.txt",
        "/assets/app.js\0", "/assets/a%0Ab.txt", "/assets/a%7Fb.txt",
    })
    void encodedSeparatorsBackslashesAndControlsAreRejected(String path) {
        assertThat(folder(true, null).resolve(path)).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/assets/%", "/assets/%4", "/assets/%zz", "/assets/%g1", "/assets/a%2", "/assets/%C3", "/assets/%C3%28",
        "/assets/%FF.txt", "/assets/%\u0661\u0662", "/assets/caf\u00e9.txt", "/assets/a b.txt", "/assets//app.js",
        "/assets/docs//guide.txt", "/assets//",
    })
    void invalidEncodingRawNonAsciiAndEmptySegmentsAreRejected(String path) {
        assertThat(folder(false, "index.html").resolve(path)).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/assets/.env", "/assets/%2eenv", "/assets/.well-known/security.txt", "/assets/.hidden/visible.txt",
        "/assets/.hidden/", "/assets/.hidden",
    })
    void dotFilesAndDotDirectoriesAreHiddenByDefault(String path) {
        assertThat(folder(false, "visible.txt").resolve(path)).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @Test
    void dotFilesAreServedWhenAllowed() throws IOException {
        StaticFolder f = folder(true, "visible.txt");
        assertThat(f.resolve("/assets/.env")).isEqualTo(found(".env"));
        assertThat(f.resolve("/assets/%2eenv")).isEqualTo(found(".env"));
        assertThat(f.resolve("/assets/.well-known/security.txt")).isEqualTo(found(".well-known/security.txt"));
        assertThat(f.resolve("/assets/.hidden/")).isEqualTo(found(".hidden/visible.txt"));
    }

    @Test
    void linksInsideTheFolderAreFollowed() throws IOException {
        StaticFolder f = folder(false, "index.html");
        StaticFolder.Resolution r = f.resolve("/assets/link-in.txt");
        assertThat(r).isInstanceOf(StaticFolder.Found.class);
        FileInfo file = ((StaticFolder.Found) r).file();
        assertThat(file.path()).isEqualTo(folder.toRealPath().resolve("app.js"));
        assertThat(file.contentType()).isEqualTo("text/plain; charset=utf-8"); // from the name asked for
        assertThat(f.resolve("/assets/link-dir-in/guide.txt")).isEqualTo(found("docs/guide.txt"));
        assertThat(f.resolve("/assets/link-dir-in/")).isEqualTo(found("docs/index.html"));
        assertThat(f.resolve("/assets/link-dir-in")).isEqualTo(new StaticFolder.Redirect("/assets/link-dir-in/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/assets/link-out.txt", "/assets/link-out-dir/secret.txt", "/assets/link-out-dir/public2/x.txt",
        "/assets/link-out-dir/", "/assets/link-out-dir", "/assets/link-sibling.txt",
    })
    void linksOutOfTheFolderAreNotFollowed(String path) {
        assertThat(folder(true, "index.html").resolve(path)).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @Test
    void whatCountsIsWhereTheLinksEnd() throws IOException {
        // Out through one link and back in: the real path is inside the folder, so it is served.
        assertThat(folder(false, null).resolve("/assets/link-out-dir/public/app.js")).isEqualTo(found("app.js"));
    }

    @Test
    void aFolderThatIsALinkFollowsItsTargetPerRequest() throws IOException {
        Path release2 = Files.createDirectories(tmp.resolve("release2"));
        Files.writeString(release2.resolve("app.js"), "v2");
        Path current = Files.createSymbolicLink(tmp.resolve("current"), folder);
        StaticFolder f = new StaticFolder(StaticMount.parse("/assets=" + current), false, null);
        assertThat(f.resolve("/assets/app.js")).isEqualTo(found("app.js"));
        Files.delete(current);
        Files.createSymbolicLink(current, release2);
        assertThat(f.resolve("/assets/app.js")).isEqualTo(found("app.js", release2));
        Files.delete(current);
        assertThat(f.resolve("/assets/app.js")).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @Test
    void unreadableFilesAreNotFound() throws IOException {
        assumeFalse(System.getProperty("user.name").equals("root"), "root reads everything");
        Files.setPosixFilePermissions(folder.resolve("app.js"), PosixFilePermissions.fromString("-w-------"));
        assertThat(folder(false, null).resolve("/assets/app.js")).isEqualTo(StaticFolder.NOT_FOUND);
    }

    @Test
    void anIndexIsAPlainFileName() {
        for (String index : new String[] {"", ".", "..", "a/b", "a\\b", "a\0b"}) {
            assertThatThrownBy(() -> folder(false, index)).as(index).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void decodeSegment() {
        assertThat(StaticFolder.decodeSegment("a%20b")).isEqualTo("a b");
        assertThat(StaticFolder.decodeSegment("%E2%82%AC")).isEqualTo("€");
        assertThat(StaticFolder.decodeSegment("")).isNull();
        assertThat(StaticFolder.decodeSegment("%2F")).isNull();
    }
}
