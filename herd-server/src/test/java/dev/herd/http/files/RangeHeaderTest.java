package dev.herd.http.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The range field against a 10-byte file unless said otherwise (RFC 9110 section 14). */
class RangeHeaderTest {

    private static RangeHeader.Result ten(String header) {
        return RangeHeader.parse(header, 10);
    }

    private static RangeHeader.Result range(long offset, long length) {
        return new RangeHeader.Satisfiable(new ByteRange(offset, length));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0     | 0 | 1",
        "bytes=-1      | 9 | 1",
        "bytes=9-      | 9 | 1",
        "bytes=0-      | 0 | 10",
        "bytes=0-9     | 0 | 10",
        "bytes=2-5     | 2 | 4",
        "bytes=3-3     | 3 | 1",
        "bytes=5-100   | 5 | 5",
        "bytes=-3      | 7 | 3",
        "bytes=-10     | 0 | 10",
        "bytes=-11     | 0 | 10",
        "bytes=-999999 | 0 | 10",
        "Bytes=1-2     | 1 | 2",
        "BYTES=1-2     | 1 | 2",
        "bytes=0-9223372036854775807 | 0 | 10",
    })
    void oneSatisfiableRange(String header, long offset, long length) {
        assertThat(ten(header)).isEqualTo(range(offset, length));
    }

    @Test
    void optionalWhitespaceAndEmptyListElementsAreAccepted() {
        assertThat(ten(" bytes=1-2 ")).isEqualTo(range(1, 2));
        assertThat(ten("bytes= 1-2")).isEqualTo(range(1, 2));
        assertThat(ten("bytes=1-2 ,")).isEqualTo(range(1, 2));
        assertThat(ten("bytes=, ,1-2")).isEqualTo(range(1, 2));
        assertThat(ten("bytes=\t1-2\t")).isEqualTo(range(1, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=10-", "bytes=10-20", "bytes=11-", "bytes=-0", "bytes=9223372036854775806-"})
    void unsatisfiable(String header) {
        assertThat(ten(header)).isEqualTo(RangeHeader.UNSATISFIABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-", "bytes=-1", "bytes=0-0", "bytes=-0"})
    void anyRangeOfAnEmptyFileIsUnsatisfiable(String header) {
        assertThat(RangeHeader.parse(header, 0)).isEqualTo(RangeHeader.UNSATISFIABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "bytes", "bytes=", "bytes=,", "bytes=abc", "bytes=5-2", "bytes=--1", "bytes=-", "bytes=1", "bytes=a-1",
        "bytes=1-a", "bytes=1-2-3", "bytes=+1-2", "bytes=0x1-2", "bytes=1 -2", "bytes=1- 2", "bytes = 1-2",
        "bytes =1-2", "bytes=1-2;x", "items=0-1", "none", "=0-1", "bytes=\u0661-2",
        "bytes=99999999999999999999-", "bytes=-99999999999999999999", "bytes=0-99999999999999999999",
        "bytes=9223372036854775808-",
    })
    void malformedIsIgnored(String header) {
        assertThat(ten(header)).isEqualTo(RangeHeader.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,2-3", "bytes=0-0,-1", "bytes=0-1, 0-1", "bytes=20-30,40-50", "bytes=0-1,x"})
    void moreThanOneRangeIsIgnored(String header) {
        assertThat(ten(header)).isEqualTo(RangeHeader.NONE);
    }

    @Test
    void noHeaderIsNoRange() {
        assertThat(ten(null)).isEqualTo(RangeHeader.NONE).isInstanceOf(RangeHeader.Ignored.class);
    }
}
