package dev.herd.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop HTTP/1.1 clients that keep their connection alive, as browsers and proxies do,
 * and count every request: a request fails when its connection breaks before the whole
 * response arrived, or when the status is not 200. A response that says
 * {@code Connection: close} is a success, and the client reconnects for the next one.
 * Bounded: it runs until {@link #stop()}.
 */
final class KeepAliveLoad implements AutoCloseable {

    private final int port;
    private final String path;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final ConcurrentHashMap<String, AtomicInteger> bodies = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<?>> clients = new ArrayList<>();

    KeepAliveLoad(int port, String path, int clientCount) {
        this.port = port;
        this.path = path;
        for (int i = 0; i < clientCount; i++) {
            clients.add(threads.submit(this::client));
        }
    }

    int ok() {
        return ok.get();
    }

    int failed() {
        return failed.get();
    }

    int connections() {
        return connections.get();
    }

    /** How many responses carried each body (e.g. a pid from /whoami-like endpoints). */
    ConcurrentHashMap<String, AtomicInteger> bodies() {
        return bodies;
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Stops the clients after their current request and waits for them. */
    KeepAliveLoad stop() throws Exception {
        running.set(false);
        for (Future<?> client : clients) {
            client.get();
        }
        threads.close();
        return this;
    }

    /** Stops the clients if a test ended early; {@link #stop()} is the normal way, which also checks them. */
    @Override
    public void close() {
        running.set(false);
        threads.close();
    }

    private Void client() {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        while (running.get()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                connections.incrementAndGet();
                socket.setSoTimeout(15_000);
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                boolean open = true;
                int served = 0;
                long answeredAt = System.nanoTime();
                while (open && running.get()) {
                    long sentAt = System.nanoTime();
                    out.write(request);
                    out.flush();
                    Response response;
                    try {
                        response = read(in);
                    } catch (IOException e) {
                        // What tells a server's fault from the keep-alive race: how long the connection
                        // sat idle before this request, and how many it had carried.
                        throw new IOException(e.getMessage() + " (request " + (served + 1) + " on its connection, sent "
                                + (sentAt - answeredAt) / 1_000_000 + " ms after the previous response)", e);
                    }
                    served++;
                    answeredAt = System.nanoTime();
                    if (response.status == 200) {
                        ok.incrementAndGet();
                        bodies.computeIfAbsent(response.body, b -> new AtomicInteger()).incrementAndGet();
                    } else {
                        fail("status " + response.status);
                    }
                    open = !response.close;
                }
            } catch (IOException e) {
                fail(e.toString());
            }
        }
        return null;
    }

    private void fail(String why) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < 20) {
                failures.add(why);
            }
        }
    }

    record Response(int status, boolean close, String body) {
    }

    /** Reads one response (status line, headers, a Content-Length body). */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = 0;
        boolean close = false;
        String header;
        while (!(header = headerLine(in)).isEmpty()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).strip());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed in the middle of a body");
        }
        return new Response(status, close, new String(body, StandardCharsets.UTF_8));
    }

    private static String headerLine(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            throw new IOException("connection closed in the middle of a header");
        }
        return header;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        if (bytes.size() == 0) {
            return null;
        }
        throw new IOException("connection closed in the middle of a line");
    }
}
