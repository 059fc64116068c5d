package dev.herd.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Small, bounded client loads for the integration tests. */
final class Load {

    private Load() {
    }

    /** Sends {@code count} requests for {@code path} at once; returns the wall time until all answered. */
    static Duration concurrent(int port, String path, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(threads.submit(() -> client.send(request, HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                int status = answer.get().statusCode();
                if (status != 200) {
                    throw new AssertionError(path + " answered " + status);
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Counts of a load run. */
    record Counts(int ok, int failed) {
    }

    /**
     * Runs {@code clients} closed-loop clients, each opening a new connection per request, for
     * {@code duration}; {@code okAfterMark} counts successes that finished after the time in
     * {@code markNanos} (0: not set yet).
     */
    static Counts closedLoop(int port, String path, int clients, Duration duration, AtomicInteger okAfterMark,
                             AtomicLong markNanos) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        List<Future<?>> tasks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                tasks.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        if (exchange(port, request).startsWith("HTTP/1.1 200 ")) {
                            ok.incrementAndGet();
                            long mark = markNanos.get();
                            if (mark != 0 && System.nanoTime() > mark) {
                                okAfterMark.incrementAndGet();
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> task : tasks) {
            task.get(); // a bug in the client itself must fail the test, not vanish
        }
        return new Counts(ok.get(), failed.get());
    }

    /** One request on a new connection; the whole answer, or "" when the connection failed. */
    private static String exchange(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
