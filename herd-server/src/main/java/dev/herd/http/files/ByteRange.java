package dev.herd.http.files;

/**
 * A run of bytes of a file to send: {@code length} bytes from {@code offset}, in the terms a zero-copy
 * {@code sendfile} takes. A length of zero is a bodiless answer (or an empty file).
 *
 * @param offset the first byte, counted from 0
 * @param length how many bytes, 0 or more
 */
public record ByteRange(long offset, long length) {

    /** Nothing to send. */
    public static final ByteRange EMPTY = new ByteRange(0, 0);

    public ByteRange {
        if (offset < 0 || length < 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("bad byte range: offset " + offset + ", length " + length);
        }
    }

    /** The whole of a representation of {@code size} bytes. */
    public static ByteRange whole(long size) {
        return new ByteRange(0, size);
    }

    /** The position of the last byte, inclusive, as a range's last-pos counts it; needs a non-empty range. */
    public long last() {
        if (length == 0) {
            throw new IllegalStateException("an empty range has no last byte");
        }
        return offset + length - 1;
    }

    /**
     * The {@code content-range} value of a 206 answer sending this range of a representation of {@code size}
     * bytes, {@code bytes FIRST-LAST/SIZE} (RFC 9110 section 14.4).
     */
    public String contentRange(long size) {
        if (length == 0 || offset + length > size) {
            throw new IllegalStateException("range " + this + " does not fit in " + size + " bytes");
        }
        return "bytes " + offset + '-' + last() + '/' + size;
    }

    /**
     * The {@code content-range} value of a 416 answer, {@code bytes *}{@code /SIZE}: RFC 9110 section 15.5.17 asks
     * for the current length so the client can ask again for a range that exists.
     */
    public static String unsatisfiedContentRange(long size) {
        return "bytes */" + size;
    }
}
