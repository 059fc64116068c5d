package dev.herd.http.files;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 section 13: the conditional fields, in the order of section 13.2.2, then if-range. */
class PreconditionsTest {

    static final FileInfo FILE =
            FileInfo.from(Path.of("/srv/a.txt"), 10, FileTime.from(Instant.parse("2024-03-01T12:00:00.5Z")));
    static final String ETAG = FILE.etag();
    static final String MTIME = "Fri, 01 Mar 2024 12:00:00 GMT";
    static final String BEFORE = "Fri, 01 Mar 2024 11:59:59 GMT";
    static final String AFTER = "Fri, 01 Mar 2024 12:00:01 GMT";

    private static final Preconditions.Outcome WHOLE = new Preconditions.Proceed(false);
    private static final Preconditions.Outcome RANGE = new Preconditions.Proceed(true);

    private static Preconditions.Outcome get(String... nameValues) {
        return evaluate("GET", nameValues);
    }

    private static Preconditions.Outcome evaluate(String method, String... nameValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return Preconditions.evaluate(method, headers::get, FILE);
    }

    @Test
    void noConditionsProceed() {
        assertThat(get()).isEqualTo(WHOLE);
        assertThat(evaluate("HEAD")).isEqualTo(WHOLE);
        assertThat(evaluate("PUT")).isEqualTo(WHOLE);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(get("if-match", ETAG)).isEqualTo(WHOLE);
        assertThat(get("if-match", "\"other\", " + ETAG)).isEqualTo(WHOLE);
        assertThat(get("if-match", "*")).isEqualTo(WHOLE);
        assertThat(get("if-match", "\"other\"")).isEqualTo(Preconditions.PRECONDITION_FAILED);
        assertThat(get("if-match", "W/" + ETAG)).isEqualTo(Preconditions.PRECONDITION_FAILED);
        assertThat(get("if-match", "garbage")).isEqualTo(Preconditions.PRECONDITION_FAILED);
        assertThat(get("if-match", ETAG.substring(1, ETAG.length() - 1))).isEqualTo(Preconditions.PRECONDITION_FAILED);
    }

    @Test
    void ifUnmodifiedSince() {
        assertThat(get("if-unmodified-since", MTIME)).isEqualTo(WHOLE);
        assertThat(get("if-unmodified-since", AFTER)).isEqualTo(WHOLE);
        assertThat(get("if-unmodified-since", BEFORE)).isEqualTo(Preconditions.PRECONDITION_FAILED);
        assertThat(get("if-unmodified-since", "not a date")).isEqualTo(WHOLE);
    }

    @Test
    void ifMatchTakesPrecedenceOverIfUnmodifiedSince() {
        assertThat(get("if-match", ETAG, "if-unmodified-since", BEFORE)).isEqualTo(WHOLE);
        assertThat(get("if-match", "\"x\"", "if-unmodified-since", AFTER))
                .isEqualTo(Preconditions.PRECONDITION_FAILED);
    }

    @Test
    void ifNoneMatchUsesWeakComparison() {
        assertThat(get("if-none-match", ETAG)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-none-match", "W/" + ETAG)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-none-match", "\"a\", W/\"b\",  " + ETAG)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-none-match", "\"a,b\"," + ETAG)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-none-match", "*")).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(evaluate("HEAD", "if-none-match", ETAG)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-none-match", "\"other\"")).isEqualTo(WHOLE);
        assertThat(get("if-none-match", "w/" + ETAG)).isEqualTo(WHOLE);
        assertThat(get("if-none-match", "garbage, " + ETAG)).isEqualTo(WHOLE);
    }

    @Test
    void ifNoneMatchIsPreconditionFailedForOtherMethods() {
        assertThat(evaluate("PUT", "if-none-match", "*")).isEqualTo(Preconditions.PRECONDITION_FAILED);
        assertThat(evaluate("DELETE", "if-none-match", ETAG)).isEqualTo(Preconditions.PRECONDITION_FAILED);
    }

    @Test
    void ifModifiedSince() {
        assertThat(get("if-modified-since", MTIME)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-modified-since", AFTER)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-modified-since", BEFORE)).isEqualTo(WHOLE);
        assertThat(evaluate("HEAD", "if-modified-since", MTIME)).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-modified-since", "Sunday, 01-Mar-24 12:00:00 GMT")).isEqualTo(Preconditions.NOT_MODIFIED);
        assertThat(get("if-modified-since", "Fri Mar  1 12:00:00 2024")).isEqualTo(Preconditions.NOT_MODIFIED);
    }

    @Test
    void ifModifiedSinceWithAnInvalidDateIsIgnored() {
        assertThat(get("if-modified-since", "Fri, 01 Mar 2024 12:00:00 CET")).isEqualTo(WHOLE);
        assertThat(get("if-modified-since", "2024-03-01T12:00:00Z")).isEqualTo(WHOLE);
        assertThat(get("if-modified-since", MTIME + ", " + MTIME)).isEqualTo(WHOLE);
    }

    @Test
    void ifModifiedSinceOnlyForGetAndHead() {
        assertThat(evaluate("POST", "if-modified-since", AFTER)).isEqualTo(WHOLE);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        assertThat(get("if-none-match", "\"other\"", "if-modified-since", AFTER)).isEqualTo(WHOLE);
        assertThat(get("if-none-match", ETAG, "if-modified-since", BEFORE)).isEqualTo(Preconditions.NOT_MODIFIED);
    }

    @Test
    void failedIfMatchComesBeforeNotModified() {
        assertThat(get("if-match", "\"x\"", "if-none-match", ETAG)).isEqualTo(Preconditions.PRECONDITION_FAILED);
        assertThat(get("if-unmodified-since", BEFORE, "if-modified-since", AFTER))
                .isEqualTo(Preconditions.PRECONDITION_FAILED);
    }

    @Test
    void rangeAppliesToGetOnly() {
        assertThat(get("range", "bytes=0-1")).isEqualTo(RANGE);
        assertThat(evaluate("HEAD", "range", "bytes=0-1")).isEqualTo(WHOLE);
        assertThat(evaluate("POST", "range", "bytes=0-1")).isEqualTo(WHOLE);
    }

    @Test
    void ifRangeWithAnEntityTagNeedsAStrongMatch() {
        assertThat(get("range", "bytes=0-1", "if-range", ETAG)).isEqualTo(RANGE);
        assertThat(get("range", "bytes=0-1", "if-range", "\"wrong\"")).isEqualTo(WHOLE);
        assertThat(get("range", "bytes=0-1", "if-range", "W/" + ETAG)).isEqualTo(WHOLE);
        assertThat(get("range", "bytes=0-1", "if-range", ETAG + ", " + ETAG)).isEqualTo(WHOLE);
    }

    @Test
    void ifRangeWithADateNeedsAnExactMatch() {
        assertThat(get("range", "bytes=0-1", "if-range", MTIME)).isEqualTo(RANGE);
        assertThat(get("range", "bytes=0-1", "if-range", AFTER)).isEqualTo(WHOLE);
        assertThat(get("range", "bytes=0-1", "if-range", BEFORE)).isEqualTo(WHOLE);
        assertThat(get("range", "bytes=0-1", "if-range", "garbage")).isEqualTo(WHOLE);
    }

    @Test
    void ifRangeWithoutRangeIsMoot() {
        assertThat(get("if-range", "\"wrong\"")).isEqualTo(WHOLE);
    }
}
