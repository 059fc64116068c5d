package dev.herd.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Looks at a request's head (request line and header lines) as raw bytes, once each, before
 * Netty's decoder parses them, for two facts the decoder does not keep:
 * <ul>
 *   <li>a header line that starts with a space or tab: obs-fold (RFC 9112 5.2), which Netty
 *       joins to the line before. RFC 9112 lets a server reject it or replace it with a space;
 *       herd rejects it, because a proxy in front that reads the line as a field of its own
 *       ({@code " Content-Length: 38"}) sees a different request than herd would;</li>
 *   <li>whether the request line starts with {@code HEAD }, so that a refusal of a request
 *       whose line could not be parsed still goes out without a body (RFC 9110 9.3.2).</li>
 * </ul>
 * The head may arrive over several reads and the decoder consumes it line by line, so the
 * scanner counts how many bytes past the buffer's reader index it has seen already.
 */
final class HeadScanner implements ByteProcessor {

    private static final byte[] HEAD = {'H', 'E', 'A', 'D', ' '};

    /** Bytes past the reader index already scanned. */
    private int scannedAhead;
    /** The empty line that ends the head was seen: the rest is body, not scanned. */
    private boolean done;
    /** The line being scanned: 0 is the request line. */
    private int line;
    /** Octets of the current line so far, CR not counted. */
    private int lineLength;
    private boolean folded;
    private boolean headMethod;

    /** A new request starts at the buffer's reader index. */
    void reset() {
        scannedAhead = 0;
        done = false;
        line = 0;
        lineLength = 0;
        folded = false;
        headMethod = true;
    }

    /** Scans what arrived since the last call, up to the end of the head. */
    void scan(ByteBuf buffer) {
        if (done) {
            return;
        }
        int from = buffer.readerIndex() + scannedAhead;
        int length = buffer.writerIndex() - from;
        if (length <= 0) {
            return;
        }
        int stop = buffer.forEachByte(from, length, this);
        scannedAhead = (stop < 0 ? buffer.writerIndex() : stop + 1) - buffer.readerIndex();
    }

    /** The decoder took {@code bytes} from the front of the buffer. */
    void consumed(int bytes) {
        scannedAhead = Math.max(0, scannedAhead - bytes);
    }

    @Override
    public boolean process(byte b) {
        if (b == '\n') {
            if (lineLength == 0 && line > 0) {
                done = true;
                return false;
            }
            line++;
            lineLength = 0;
        } else if (b != '\r') {
            if (line == 0 && lineLength < HEAD.length && b != HEAD[lineLength]) {
                headMethod = false;
            } else if (line > 0 && lineLength == 0 && (b == ' ' || b == '\t')) {
                folded = true;
            }
            lineLength++;
        }
        return true;
    }

    /** A header line of this request began with whitespace. */
    boolean folded() {
        return folded;
    }

    /** The request line starts with {@code HEAD }, as far as it has arrived. */
    boolean headMethod() {
        return headMethod && (line > 0 || lineLength >= HEAD.length);
    }
}
