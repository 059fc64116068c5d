package dev.herd.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What follows a response's header: bytes in memory, a stream the app writes, a file, an event
 * stream, or a WebSocket. herd picks how each goes out ({@code sendfile} for files on plain TCP).
 */
public sealed interface ResponseBody {

    /** A complete body in memory. */
    record Bytes(byte[] bytes) implements ResponseBody {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** A body written with blocking calls once the header is out. */
    record Stream(BodyWriter writer) implements ResponseBody {
        public Stream {
            Objects.requireNonNull(writer, "writer");
        }
    }

    /** A body written with stages once the header is out. */
    record AsyncStream(AsyncBodyWriter writer) implements ResponseBody {
        public AsyncStream {
            Objects.requireNonNull(writer, "writer");
        }
    }

    /**
     * A regular file, read when the response goes out. herd adds {@code content-length},
     * {@code last-modified} and a strong {@code etag}, answers {@code Range} (206, 416) and
     * conditional requests (304, 412), and sends the bytes with {@code sendfile}.
     */
    record File(Path path) implements ResponseBody {
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A {@code text/event-stream} produced with blocking calls. */
    record Events(EventWriter writer) implements ResponseBody {
        public Events {
            Objects.requireNonNull(writer, "writer");
        }
    }

    /** A {@code text/event-stream} produced with stages. */
    record AsyncEvents(AsyncEventWriter writer) implements ResponseBody {
        public AsyncEvents {
            Objects.requireNonNull(writer, "writer");
        }
    }

    /** The request's upgrade to a WebSocket, served with blocking calls. */
    record BlockingWebSocket(WebSocketHandler handler) implements ResponseBody {
        public BlockingWebSocket {
            Objects.requireNonNull(handler, "handler");
        }
    }

    /** The request's upgrade to a WebSocket, served with callbacks. */
    record AsyncWebSocket(WebSocketListener listener) implements ResponseBody {
        public AsyncWebSocket {
            Objects.requireNonNull(listener, "listener");
        }
    }
}
