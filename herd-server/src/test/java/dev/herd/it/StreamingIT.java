package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies as streams on real workers, driven by curl: uploads hashed while they arrive (with and
 * without 100-continue), streamed downloads with and without a length, server-sent events, files
 * with ranges and conditional requests from a --static folder, a client that never reads, and one
 * that stops sending its body.
 */
class StreamingIT {

    private static final long GIB = 1024L * 1024 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threads", "virtual", "async"})
    void uploadsDownloadsAndEventsStreamInEveryModel(String model, @TempDir Path dir) throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        Path upload = Files.write(dir.resolve("up.bin"), data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--body-buffer", "65536")) {
            String base = "http://127.0.0.1:" + herd.port();
            // Over --body-buffer: streamed to the app, which hashes it as it comes.
            assertThat(curl("-sS", "--data-binary", "@" + upload, base + "/upload"))
                    .isEqualTo(data.length + " bytes, sha256 " + sha + "\n");
            // Chunked, and invited with 100 Continue only once the app reads.
            String expect = curl("-sS", "-v", "-H", "Expect: 100-continue", "-H", "Transfer-Encoding: chunked",
                    "--data-binary", "@" + upload, base + "/upload");
            assertThat(expect).contains("< HTTP/1.1 100 Continue").contains(data.length + " bytes, sha256 " + sha);

            Path got = dir.resolve("down.bin");
            assertThat(curl("-sS", "-o", got.toString(), "-w", "%{http_code} %{size_download}",
                    base + "/stream?bytes=5000000")).isEqualTo("200 5000000");
            assertThat(Files.readAllBytes(got)).startsWith("abcdefghijklmnopqrstuvwxyz".getBytes());
            assertThat(curl("-sS", "-D", "-", "-o", "/dev/null", base + "/stream?bytes=300000&chunked=1"))
                    .containsIgnoringCase("transfer-encoding: chunked");

            String events = curl("-sSN", base + "/events?count=3&ms=50");
            assertThat(events).contains("id: 0\nevent: tick\ndata: ").contains("id: 2\n").doesNotContain("id: 3");
            String resumed = curl("-sSN", "-H", "Last-Event-ID: 41", base + "/events?count=1&ms=50");
            assertThat(resumed).startsWith("id: 42\n");
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "async"})
    void aGibibyteUpAndDownKeepsTheWorkerSmall(String model, @TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.bin");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(GIB); // sparse: zeros
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--static", "/files=" + dir,
                "--limit-request-body", Long.toString(2 * GIB - 2))) {
            String base = "http://127.0.0.1:" + herd.port();
            long worker = herd.workerPids().getFirst();
            herd.get("/hello");
            long before = rssKiB(worker);
            try (RssWatch watch = new RssWatch(worker)) {
                assertThat(curl("-sS", "-X", "POST", "-T", big.toString(), base + "/upload"))
                        .isEqualTo(GIB + " bytes, sha256 " + zerosSha(GIB) + "\n");
                assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                        base + "/stream?bytes=" + GIB)).isEqualTo("200 " + GIB);
                assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                        base + "/files/big.bin")).isEqualTo("200 " + GIB);
                assertThat(watch.maxKiB() - before).as("RSS growth in KiB").isLessThan(64 * 1024);
            }
        }
    }

    @Test
    void staticFilesAnswerRangesConditionsAndNeverLeaveTheFolder(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("public"));
        Files.writeString(root.resolve("hello.txt"), "hello, files\n");
        Files.writeString(root.resolve(".env"), "SECRET=1\n");
        Files.writeString(dir.resolve("outside.txt"), "outside\n");
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("outside.txt"));
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>\n");
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--static", "/assets=" + root,
                "--static-index", "index.html")) {
            String url = "http://127.0.0.1:" + herd.port() + "/assets";
            String head = curl("-sS", "-I", url + "/hello.txt");
            assertThat(head).contains("HTTP/1.1 200").containsIgnoringCase("content-length: 13")
                    .containsIgnoringCase("accept-ranges: bytes").containsIgnoringCase("last-modified: ");
            String etag = head.lines().filter(l -> l.toLowerCase().startsWith("etag:")).findFirst().orElseThrow()
                    .substring(5).trim();
            assertThat(etag).matches("\"[^\"]+\"");
            assertThat(curl("-sS", "-H", "Range: bytes=7-11", "-w", " %{http_code}", url + "/hello.txt"))
                    .isEqualTo("files 206");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Range: bytes=50-",
                    url + "/hello.txt")).isEqualTo("416");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag,
                    url + "/hello.txt")).isEqualTo("304");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Range: bytes=x",
                    url + "/hello.txt")).isEqualTo("200");
            for (String path : List.of("/.env", "/../outside.txt", "/%2e%2e/outside.txt", "/escape.txt",
                    "/docs%2Findex.html", "/nothing")) {
                assertThat(curl("-sS", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", url + path))
                        .as(path).isEqualTo("404");
            }
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", url + "/docs"))
                    .isEqualTo("301 " + url + "/docs/");
            assertThat(curl("-sS", url + "/docs/")).isEqualTo("<p>docs</p>\n");
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
        }
    }

    @Test
    void aClientThatNeverReadsIsCutOffAndTheWorkerServesOn() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "virtual", "--write-timeout", "1")) {
            long worker = herd.workerPids().getFirst();
            try (Socket socket = new Socket("127.0.0.1", herd.port())) {
                socket.setReceiveBufferSize(16 * 1024);
                OutputStream out = socket.getOutputStream();
                out.write("GET /stream?bytes=10000000000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                herd.awaitLog(Pattern.compile("took nothing of the response for 1 s"), Duration.ofSeconds(20));
                // What the kernel buffered is readable; then the end: far less than what was asked for.
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[65536];
                long total = 0;
                try {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        total += n;
                    }
                } catch (SocketTimeoutException | java.net.SocketException endedOrReset) {
                    assertThat(endedOrReset).isNotInstanceOf(SocketTimeoutException.class);
                }
                assertThat(total).isLessThan(64L * 1024 * 1024);
            }
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }

    @Test
    void streamsAndWebSocketsOutliveTheHangTimeoutUnderSync() throws Exception {
        // Under sync the worker's one thread serves the stream; the master must not take that
        // for a hung worker (Gunicorn's sync workers are killed there, gunicorn #1968).
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "sync", "-t", "1")) {
            long worker = herd.workerPids().getFirst();
            String events = curl("-sSN", "http://127.0.0.1:" + herd.port() + "/events?count=7&ms=500");
            assertThat(events).contains("id: 0\n").contains("id: 6\n");
            java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + herd.port() + "/ws/echo"),
                            new java.net.http.WebSocket.Listener() {
                            }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            Thread.sleep(3000);
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
            assertThat(herd.workerPids()).containsExactly(worker);
            assertThat(herd.log()).doesNotContain("no heartbeat");
        }
    }

    @Test
    void aClientThatStopsSendingItsBodyGets408AndFreesTheSyncThread() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "sync", "--read-timeout", "1",
                "--body-buffer", "65536")) {
            long worker = herd.workerPids().getFirst();
            try (Socket socket = new Socket("127.0.0.1", herd.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[100_000]); // over --body-buffer: the app reads it as it comes, then waits
                out.flush();
                socket.setSoTimeout(10_000);
                long start = System.nanoTime();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 408 ");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
            herd.awaitLog(Pattern.compile("stopped sending the body"), Duration.ofSeconds(5));
            // The one sync thread was given back: the next request is served.
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }

    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("curl");
        command.add("--max-time");
        command.add("120");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        assertThat(status).as("curl %s: %s", command, out).isZero();
        return out.replace("\r\n", "\n");
    }

    private static String zerosSha(long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[1 << 20];
        for (long done = 0; done < size; done += zeros.length) {
            sha.update(zeros, 0, (int) Math.min(zeros.length, size - done));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** The largest resident set of a process while it is watched, sampled every 20 ms. */
    private static final class RssWatch implements AutoCloseable {
        private final AtomicLong max = new AtomicLong();
        private final Thread sampler;

        RssWatch(long pid) {
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        max.accumulateAndGet(rssKiB(pid), Math::max);
                        Thread.sleep(20);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long maxKiB() {
            return max.get();
        }

        @Override
        public void close() {
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
