package dev.herd.servlet;

import dev.herd.http.RequestRules;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

import java.nio.ByteBuffer;

/**
 * Jetty's HTTP/1.1 connection with the one request-line rule its parser does not apply: the
 * version must be spelled exactly {@code HTTP/DIGIT.DIGIT} (RFC 9112 2.3), where Jetty looks
 * it up case-insensitively and takes {@code http/1.1} for HTTP/1.1. The parser's input is
 * watched as it consumes it; a request whose line ends in anything else is marked, and
 * {@link WorkerHandler} answers it 400 before the app sees it, as herd's own HTTP does.
 * (Jetty's {@code internal.HttpConnection} is subclassed for its parser; herd pins Jetty's
 * version.)
 */
final class StrictHttpConnection extends HttpConnection {

    private VersionWatch watch;

    private StrictHttpConnection(HttpConfiguration config, Connector connector, EndPoint endPoint) {
        super(config, connector, endPoint);
    }

    /** Makes these connections in place of Jetty's own. */
    static HttpConnectionFactory factory(HttpConfiguration config) {
        return new HttpConnectionFactory(config) {
            @Override
            public org.eclipse.jetty.io.Connection newConnection(Connector connector, EndPoint endPoint) {
                StrictHttpConnection connection = new StrictHttpConnection(getHttpConfiguration(), connector, endPoint);
                connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
                return configure(connection, connector, endPoint);
            }
        };
    }

    @Override
    protected HttpParser newHttpParser(HttpCompliance compliance) {
        // Jetty's own parser, built as Jetty builds it, for its request handler.
        HttpParser plain = super.newHttpParser(compliance);
        VersionWatch parser = new VersionWatch((HttpParser.RequestHandler) plain.getHandler(),
                getHttpConfiguration().getRequestHeaderSize(), compliance);
        parser.setHeaderCacheSize(getHttpConfiguration().getHeaderCacheSize());
        parser.setHeaderCacheCaseSensitive(getHttpConfiguration().isHeaderCacheCaseSensitive());
        watch = parser;
        return parser;
    }

    /** The current request's line ended in something other than an HTTP version, spelled exactly. */
    boolean badVersion() {
        return watch != null && watch.bad;
    }

    /** Jetty's parser, watching the bytes of each request line as it consumes them. */
    private static final class VersionWatch extends HttpParser {
        /** The bytes after the last space of the request line, so far (at most 16). */
        private final StringBuilder lastWord = new StringBuilder(16);
        /** The request line of the current request has ended. */
        private boolean lineDone;
        private boolean inLine;
        volatile boolean bad;

        VersionWatch(RequestHandler handler, int maxHeaderBytes, HttpCompliance compliance) {
            super(handler, maxHeaderBytes, compliance);
        }

        @Override
        public void reset() {
            super.reset();
            lastWord.setLength(0);
            lineDone = false;
            inLine = false;
            bad = false;
        }

        @Override
        public boolean parseNext(ByteBuffer buffer) {
            int from = buffer.position();
            boolean handle = super.parseNext(buffer);
            for (int i = from; i < buffer.position() && !lineDone; i++) {
                watch(buffer.get(i));
            }
            return handle;
        }

        private void watch(byte b) {
            if (b == '\r' || b == '\n') {
                if (inLine && b == '\n') {
                    lineDone = true;
                    bad = !RequestRules.isVersion(lastWord);
                }
                return; // empty lines before a request are skipped (RFC 9112 2.2)
            }
            inLine = true;
            if (b == ' ' || b == '\t') {
                lastWord.setLength(0);
            } else if (lastWord.length() < 16) {
                lastWord.append((char) (b & 0xff));
            }
        }
    }
}
