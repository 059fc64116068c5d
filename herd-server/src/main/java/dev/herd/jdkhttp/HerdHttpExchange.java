package dev.herd.jdkhttp;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.herd.api.BodyOutput;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.http.ResponseSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One request and its response as the JDK's API has them, over herd's HTTP: the request body is
 * herd's stream (read as it arrives, with back-pressure), and {@link #sendResponseHeaders} sends
 * the status and header at once through the worker's response sink; the body then streams
 * ({@code 0}: chunked, {@code n}: exactly n bytes, {@code -1}: none). Any thread may finish it,
 * as in the JDK's server.
 */
final class HerdHttpExchange extends HttpExchange {

    private final Request request;
    private final ResponseSink sink;
    private final HttpContext context;
    private final InetSocketAddress localAddress;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final ResponseStream responseStream = new ResponseStream();
    private InputStream in;
    private OutputStream out;
    private volatile HttpPrincipal principal;
    // Guarded by this: the response's state.
    private boolean sent;
    private int status = -1;

    HerdHttpExchange(Request request, ResponseSink sink, HttpContext context, InetSocketAddress localAddress) {
        this.request = request;
        this.sink = sink;
        this.context = context;
        this.localAddress = localAddress;
        request.headers().forEach(requestHeaders::add);
        this.in = request.bodyStream();
        this.out = responseStream;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        String query = request.rawQuery();
        return URI.create(query.isEmpty() ? request.path() : request.path() + "?" + query);
    }

    @Override
    public String getRequestMethod() {
        return request.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing what is left of the request body; nothing to report.
        }
        synchronized (this) {
            if (!sent) {
                sent = true;
                status = 500;
                sink.fail(new IllegalStateException("the app closed the exchange for " + request.method() + " "
                        + request.path() + " without sendResponseHeaders"));
                return;
            }
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // The client went away; the body was cut.
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        Response.Builder head = Response.status(code);
        boolean noBody = length == -1 || code == 204 || code == 304 || (code >= 100 && code < 200)
                || request.method().equals("HEAD");
        for (Map.Entry<String, List<String>> field : responseHeaders.entrySet()) {
            if (field.getKey().equalsIgnoreCase("content-length") || field.getKey().equalsIgnoreCase("transfer-encoding")) {
                continue; // herd frames the body from the length given here
            }
            for (String value : field.getValue()) {
                head.header(field.getKey(), value);
            }
        }
        if (length > 0 && code != 204 && code != 304) {
            head.header("Content-Length", Long.toString(length));
        }
        synchronized (this) {
            if (sent) {
                throw new IOException("headers already sent");
            }
            sent = true;
            status = code;
        }
        if (noBody) {
            sink.complete(head.build());
            responseStream.none();
        } else {
            responseStream.open(sink.stream(head.build()), length);
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public int getResponseCode() {
        synchronized (this) {
            return status;
        }
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return localAddress;
    }

    @Override
    public String getProtocol() {
        return request.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        if (in != null) {
            this.in = in;
        }
        if (out != null) {
            this.out = out;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    void principal(HttpPrincipal principal) {
        this.principal = principal;
    }

    /** Reports the app's failure: a 500 if nothing was sent yet, else a cut body. */
    void failed(Throwable failure) {
        boolean answered;
        synchronized (this) {
            answered = sent;
            sent = true;
            if (!answered) {
                status = 500;
            }
        }
        if (answered) {
            sink.cut(failure);
        } else {
            sink.fail(failure);
        }
    }

    /**
     * The response body: refuses writes before the header, counts a fixed length and ends the
     * body once it is all written (the JDK's server does, and apps count on it), ends a chunked
     * one on close.
     */
    private final class ResponseStream extends OutputStream {
        private BodyOutput body;
        private OutputStream target;
        private long remaining = -1;
        private boolean none;
        private boolean ended;

        synchronized void open(BodyOutput body, long length) {
            this.body = body;
            this.target = body.outputStream();
            this.remaining = length > 0 ? length : -1;
        }

        synchronized void none() {
            none = true;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return;
            }
            if (none) {
                throw new IOException("this response has no body (sendResponseHeaders with -1, a HEAD request, 204 or 304)");
            }
            if (target == null) {
                throw new IOException("sendResponseHeaders must come before the body");
            }
            if (ended) {
                throw new IOException("the response body is complete");
            }
            if (remaining >= 0 && length > remaining) {
                throw new IOException("too many bytes: " + length + " more than the " + remaining
                        + " left of the length given to sendResponseHeaders");
            }
            target.write(bytes, offset, length);
            if (remaining >= 0) {
                remaining -= length;
                if (remaining == 0) {
                    end();
                }
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (target != null && !ended) {
                target.flush();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (target != null && !ended) {
                if (remaining > 0) {
                    ended = true;
                    IOException shortBody = new IOException("response closed with " + remaining
                            + " of the bytes given to sendResponseHeaders unwritten");
                    sink.cut(shortBody); // the client must not take the part for the whole
                    throw shortBody;
                }
                end();
            }
        }

        private void end() throws IOException {
            ended = true;
            target.flush();
            body.end();
        }
    }
}
