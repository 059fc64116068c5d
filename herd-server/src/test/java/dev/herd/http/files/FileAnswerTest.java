package dev.herd.http.files;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole answers for a 10-byte text file: status, header fields in order, bytes to send. */
class FileAnswerTest {

    private static final FileInfo FILE = PreconditionsTest.FILE;
    private static final String ETAG = FILE.etag();
    private static final String MTIME = PreconditionsTest.MTIME;
    private static final String TEXT = "text/plain; charset=utf-8";

    private static FileAnswer decide(String method, String... nameValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return FileAnswer.decide(method, headers::get, FILE);
    }

    private static FileAnswer.Header h(String name, String value) {
        return new FileAnswer.Header(name, value);
    }

    @Test
    void getSendsTheWholeFile() {
        FileAnswer answer = decide("GET");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsExactly(h("content-type", TEXT), h("content-length", "10"),
                h("last-modified", MTIME), h("etag", ETAG), h("accept-ranges", "bytes"));
        assertThat(answer.body()).isEqualTo(new ByteRange(0, 10));
        assertThat(answer.sendsBody()).isTrue();
    }

    @Test
    void headGetsTheHeadersOfGetAndNoBody() {
        FileAnswer answer = decide("HEAD");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).isEqualTo(decide("GET").headers());
        assertThat(answer.body()).isEqualTo(ByteRange.EMPTY);
        assertThat(answer.sendsBody()).isFalse();
    }

    @Test
    void headIgnoresRange() {
        FileAnswer answer = decide("HEAD", "range", "bytes=0-0");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("content-length")).isEqualTo("10");
        assertThat(answer.header("content-range")).isNull();
    }

    @Test
    void firstByte() {
        FileAnswer answer = decide("GET", "range", "bytes=0-0");
        assertThat(answer.status()).isEqualTo(206);
        assertThat(answer.headers()).containsExactly(h("content-type", TEXT), h("content-length", "1"),
                h("content-range", "bytes 0-0/10"), h("last-modified", MTIME), h("etag", ETAG),
                h("accept-ranges", "bytes"));
        assertThat(answer.body()).isEqualTo(new ByteRange(0, 1));
        assertThat(answer.sendsBody()).isTrue();
    }

    @Test
    void lastByteBySuffixAndByOffset() {
        for (String range : List.of("bytes=-1", "bytes=9-")) {
            FileAnswer answer = decide("GET", "range", range);
            assertThat(answer.status()).isEqualTo(206);
            assertThat(answer.header("content-range")).isEqualTo("bytes 9-9/10");
            assertThat(answer.body()).isEqualTo(new ByteRange(9, 1));
        }
    }

    @Test
    void rangePastTheEndIs416() {
        FileAnswer answer = decide("GET", "range", "bytes=10-");
        assertThat(answer.status()).isEqualTo(416);
        assertThat(answer.headers()).containsExactly(h("content-range", "bytes */10"), h("accept-ranges", "bytes"),
                h("content-length", "0"));
        assertThat(answer.body()).isEqualTo(ByteRange.EMPTY);
        assertThat(answer.sendsBody()).isFalse();
    }

    @Test
    void multipleRangesGetTheWholeFile() {
        FileAnswer answer = decide("GET", "range", "bytes=0-1,4-5");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(new ByteRange(0, 10));
    }

    @Test
    void malformedRangeGetsTheWholeFile() {
        assertThat(decide("GET", "range", "bytes=5-2").status()).isEqualTo(200);
    }

    @Test
    void ifRangeWithAWrongEtagGetsTheWholeFile() {
        FileAnswer answer = decide("GET", "range", "bytes=0-0", "if-range", "\"stale\"");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(new ByteRange(0, 10));
        assertThat(decide("GET", "range", "bytes=0-0", "if-range", ETAG).status()).isEqualTo(206);
        assertThat(decide("GET", "range", "bytes=0-0", "if-range", MTIME).status()).isEqualTo(206);
    }

    @Test
    void ifRangeWithAWrongEtagAndAnUnsatisfiableRangeGetsTheWholeFile() {
        assertThat(decide("GET", "range", "bytes=50-", "if-range", "\"stale\"").status()).isEqualTo(200);
    }

    @Test
    void notModifiedCarriesOnlyValidators() {
        for (FileAnswer answer : List.of(decide("GET", "if-none-match", "W/" + ETAG),
                decide("GET", "if-modified-since", MTIME), decide("HEAD", "if-none-match", ETAG))) {
            assertThat(answer.status()).isEqualTo(304);
            assertThat(answer.headers()).containsExactly(h("etag", ETAG), h("last-modified", MTIME));
            assertThat(answer.sendsBody()).isFalse();
            assertThat(answer.body()).isEqualTo(ByteRange.EMPTY);
        }
    }

    @Test
    void ifModifiedSinceWithAnInvalidDateIsIgnored() {
        assertThat(decide("GET", "if-modified-since", "last tuesday").status()).isEqualTo(200);
    }

    @Test
    void preconditionsComeBeforeRanges() {
        assertThat(decide("GET", "if-none-match", ETAG, "range", "bytes=50-").status()).isEqualTo(304);
        assertThat(decide("GET", "if-match", "\"x\"", "range", "bytes=0-0").status()).isEqualTo(412);
    }

    @Test
    void weakIfMatchFailsStrongComparison() {
        FileAnswer answer = decide("GET", "if-match", "W/" + ETAG);
        assertThat(answer.status()).isEqualTo(412);
        assertThat(answer.headers()).containsExactly(h("content-length", "0"));
        assertThat(answer.sendsBody()).isFalse();
        assertThat(decide("GET", "if-match", ETAG).status()).isEqualTo(200);
    }

    @Test
    void otherMethodsAre405WithAllow() {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "get")) {
            FileAnswer answer = decide(method, "if-none-match", "*");
            assertThat(answer.status()).isEqualTo(405);
            assertThat(answer.headers()).containsExactly(h("allow", "GET, HEAD"), h("content-length", "0"));
            assertThat(answer.sendsBody()).isFalse();
        }
    }

    @Test
    void anEmptyFile() {
        FileInfo empty = FileInfo.from(Path.of("/srv/empty.txt"), 0, FileTime.from(Instant.EPOCH));
        FileAnswer whole = FileAnswer.decide("GET", name -> null, empty);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("content-length")).isEqualTo("0");
        assertThat(whole.body()).isEqualTo(ByteRange.EMPTY);
        FileAnswer range = FileAnswer.decide("GET", name -> name.equals("range") ? "bytes=0-" : null, empty);
        assertThat(range.status()).isEqualTo(416);
        assertThat(range.header("content-range")).isEqualTo("bytes */0");
    }

    @Test
    void headersAreImmutable() {
        FileAnswer answer = decide("GET");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> answer.headers().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
