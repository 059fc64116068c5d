package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's HTTP operations against a real server: limits, the three connection timeouts,
 * the access log, and a unix socket listener. Every refusal must close its connection and
 * leave the worker serving (same pid in /whoami).
 */
class HttpOperationsIT {

    private static final String HELLO = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void requestsPastTheLimitsAreRefusedAndTheWorkerLives() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--limit-request-body", "1000",
                "--limit-request-fields", "10")) {
            long worker = herd.workerPids().getFirst();

            String body = "x".repeat(2000);
            String bigBody = raw(herd.port(), "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + body);
            assertThat(bigBody).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");

            String bigChunked = raw(herd.port(), "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3e8\r\n" + "y".repeat(1000) + "\r\n1\r\nz\r\n0\r\n\r\n");
            assertThat(bigChunked).startsWith("HTTP/1.1 413 ");

            String expect = raw(herd.port(), "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertThat(expect).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");

            StringBuilder fields = new StringBuilder("GET /hello HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 10; i++) {
                fields.append("X-Field-").append(i).append(": v\r\n");
            }
            assertThat(raw(herd.port(), fields + "\r\n")).startsWith("HTTP/1.1 431 ");

            String smuggled = raw(herd.port(), "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /whoami HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(smuggled).startsWith("HTTP/1.1 400 ").doesNotContain("\"pid\"");

            assertThat(raw(herd.port(), "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                    + "Connection: close\r\n\r\n" + "x".repeat(1000))).startsWith("HTTP/1.1 200 ");
            assertThat(herd.get("/whoami").body()).contains("\"pid\":" + worker);
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedByTheServerAfterKeepAlive() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--keep-alive", "1");
             Socket socket = new Socket("127.0.0.1", herd.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(HELLO.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String response = readOneResponse(in);
            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("Hello, World!")
                    .doesNotContainIgnoringCase("connection: close");
            long idleSince = System.nanoTime();
            assertThat(in.read()).as("the server closes the idle connection").isEqualTo(-1);
            long idleMillis = (System.nanoTime() - idleSince) / 1_000_000;
            assertThat(idleMillis).isBetween(800L, 5000L);
        }
    }

    @Test
    void clientThatStartsARequestAndStallsGets408() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--read-timeout", "1")) {
            long worker = herd.workerPids().getFirst();
            long start = System.nanoTime();
            String answer = raw(herd.port(), "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow:");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
            assertThat(millis).isBetween(800L, 5000L);
            assertThat(herd.get("/whoami").body()).contains("\"pid\":" + worker);
        }
    }

    @Test
    void requestPastRequestTimeoutGets503AndItsThreadIsInterrupted() throws Exception {
        // One app thread: if the timed-out request kept it, /hello would wait about 2 s more.
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "threads", "--threads", "1",
                "--request-timeout", "1")) {
            long worker = herd.workerPids().getFirst();
            long start = System.nanoTime();
            var slow = herd.get("/io?ms=3000");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(millis).isBetween(900L, 2500L);
            long helloStart = System.nanoTime();
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - helloStart) / 1_000_000).isLessThan(1000L);
            assertThat(herd.get("/whoami").body()).contains("\"pid\":" + worker);
            herd.awaitLog(Pattern.compile("GET /io\\?ms=3000 passed --request-timeout"), Duration.ofSeconds(5));
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }

    @Test
    void requestTimeoutUnderAsyncAnswers503AndTheLoopServesOn() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "async", "--request-timeout", "1")) {
            long worker = herd.workerPids().getFirst();
            assertThat(herd.get("/io?ms=3000").statusCode()).isEqualTo(503);
            assertThat(herd.get("/io?ms=10").statusCode()).isEqualTo(200);
            assertThat(herd.get("/whoami").body()).contains("\"pid\":" + worker);
        }
    }

    @Test
    void accessLogGetsOneLinePerRequestWithItsStatus() throws Exception {
        Path log = Files.createTempFile("herd-access-", ".log");
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--access-log", log.toString())) {
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
            assertThat(herd.get("/nope?x=1").statusCode()).isEqualTo(404);
            assertThat(herd.get("/error").statusCode()).isEqualTo(500);
            assertThat(raw(herd.port(), "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(log).size() >= 4);
            List<String> lines = Files.readAllLines(log);
            String line = "^127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] ";
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).matches(line + "\"GET /hello HTTP/1\\.1\" 200 13 \"-\" \"Java-http-client/.*\"$");
            assertThat(lines.get(1))
                    .matches(line + "\"GET /nope\\?x=1 HTTP/1\\.1\" 404 10 \"-\" \"Java-http-client/.*\"$");
            assertThat(lines.get(2)).matches(line + "\"GET /error HTTP/1\\.1\" 500 \\d+ .*");
            assertThat(lines.get(3)).matches(line + "\"GET /hello HTTP/1\\.1\" 400 12 \"-\" \"-\"$");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void unixSocketListenerServesHttpWithItsModeAndIsRemovedAtExit() throws Exception {
        Path socket = Path.of("/tmp", "herd-it-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Path log = Files.createTempFile("herd-access-", ".log");
        try {
            try (HerdProcess herd = HerdProcess.start("-w", "1", "-b", "127.0.0.1:0", "-b", "unix:" + socket,
                    "--bind-mode", "0600", "--access-log", log.toString(), "--access-log-format", "%(h)s %(U)s")) {
                assertThat(herd.log()).contains("unix:" + socket);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");

                String direct = overUnixSocket(socket, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(direct).startsWith("HTTP/1.1 200 ").endsWith("Hello, World!");
                // 'unix' is trusted by default: a proxy on the socket names the client.
                String proxied = overUnixSocket(socket, "GET /whoami HTTP/1.1\r\nHost: x\r\n"
                        + "X-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n");
                assertThat(proxied).startsWith("HTTP/1.1 200 ").contains("\"pid\":" + herd.workerPids().getFirst());
                assertThat(herd.get("/hello").statusCode()).isEqualTo(200);

                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(log).size() >= 3);
                assertThat(Files.readAllLines(log))
                        .containsExactly("- /hello", "203.0.113.9 /whoami", "127.0.0.1 /hello");
                assertThat(socket).exists();
            }
            assertThat(socket).as("the master removes its socket file when it exits").doesNotExist();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(log);
        }
    }

    /** Sends raw bytes on a fresh connection and returns what the server answered until it closed. */
    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readToEnd(socket.getInputStream());
        }
    }

    private static String overUnixSocket(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // A SocketChannel has no read timeout: closing it from a timer ends a read that would hang.
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> closeQuietly(channel),
                    CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS));
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                return readToEnd(Channels.newInputStream(channel));
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            in.transferTo(answer);
        } catch (IOException reset) {
            // A server that closes with unread input may reset the connection; what came first counts.
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one response with a Content-Length body, leaving the connection open. */
    private static String readOneResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the middle of a response: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = headers.lines().map(l -> l.toLowerCase(Locale.ROOT))
                .filter(l -> l.startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring("content-length:".length()).trim()))
                .findFirst().orElseThrow();
        return headers + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
