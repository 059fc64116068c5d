package dev.herd.http.files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Byte runs and their content-range values (RFC 9110 section 14.4). */
class ByteRangeTest {

    @Test
    void contentRange() {
        assertThat(new ByteRange(0, 1).contentRange(10)).isEqualTo("bytes 0-0/10");
        assertThat(new ByteRange(9, 1).contentRange(10)).isEqualTo("bytes 9-9/10");
        assertThat(ByteRange.whole(10).contentRange(10)).isEqualTo("bytes 0-9/10");
        assertThat(new ByteRange(5, 3).last()).isEqualTo(7);
        assertThat(ByteRange.unsatisfiedContentRange(10)).isEqualTo("bytes */10");
        assertThat(ByteRange.unsatisfiedContentRange(0)).isEqualTo("bytes */0");
    }

    @Test
    void rejectsImpossibleRanges() {
        assertThatThrownBy(() -> new ByteRange(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRange(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRange(Long.MAX_VALUE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteRange.EMPTY.last()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ByteRange.EMPTY.contentRange(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ByteRange(5, 6).contentRange(10)).isInstanceOf(IllegalStateException.class);
    }
}
