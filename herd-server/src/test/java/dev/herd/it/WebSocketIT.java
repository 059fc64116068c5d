package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.herd.it.RawWebSocket.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static dev.herd.it.RawWebSocket.BINARY;
import static dev.herd.it.RawWebSocket.CLOSE;
import static dev.herd.it.RawWebSocket.closePayload;
import static dev.herd.it.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * WebSockets (RFC 6455) on real workers, against the demo's {@code /ws/echo}: Python's
 * {@code websockets} (with and without permessage-deflate) and the JDK's client in every
 * execution model; a reload that moves clients to the new generation with 1001; a client that
 * never reads. The protocol's edges, byte by byte, are in {@link WebSocketProtocolIT}.
 */
class WebSocketIT {

    /** Debian's interpreter, which has python3-websockets; the one on PATH may not. */
    private static final String PYTHON = "/usr/bin/python3";

    // ---- 1. Python's websockets, with and without compression ----

    private static final String PYTHON_CLIENT = """
            import asyncio, sys, websockets
            from websockets.exceptions import ConnectionClosed

            URL = "ws://127.0.0.1:%s/ws/echo" % sys.argv[1]

            def connect(compression):
                return websockets.connect(URL, compression=compression, max_size=None, ping_interval=None,
                                          open_timeout=10, close_timeout=5)

            async def recv(ws):
                return await asyncio.wait_for(ws.recv(), 10)

            async def echo(name, compression):
                async with connect(compression) as ws:
                    print(name, "extensions", ws.response_headers.get("Sec-WebSocket-Extensions"))
                    await ws.send("h\\u00e9llo, herd \\u2603")
                    print(name, "text", ascii(await recv(ws)))
                    data = bytes((i * 7 + i // 256) % 251 for i in range(80 * 1024))
                    await ws.send(data)
                    back = await recv(ws)
                    print(name, "binary", type(back).__name__, len(back), back == data)
                    await ws.send(["frag", "men", "ted ", "t\\u00ebxt"])
                    print(name, "fragmented", ascii(await recv(ws)))
                    await ws.send([b"\\x00\\x01", b"", b"\\x02\\xff"])
                    print(name, "fragmented-binary", (await recv(ws)).hex())
                print(name, "closed", ws.close_code)

            async def too_big(name, compression, message):
                async with connect(compression) as ws:
                    try:
                        await ws.send(message)
                        got = await recv(ws)
                        print(name, "echoed", len(got))
                    except ConnectionClosed as e:
                        print(name, "closed", e.rcvd.code if e.rcvd is not None else "without-close-frame")

            async def main():
                await echo("plain", None)
                await echo("deflate", "deflate")
                await too_big("too-big", None, bytes(range(256)) * 390 + bytes(160))
                await too_big("too-big-fragmented", None, ["a" * 50000, "b" * 50000])
                await too_big("too-big-deflated", "deflate", b"x" * 100000)
                print("done")

            asyncio.run(main())
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threads", "virtual", "async"})
    void pythonWebsocketsEchoesWithAndWithoutDeflateAndGets1009ForTooBig(String model, @TempDir Path dir)
            throws Exception {
        Path script = Files.writeString(dir.resolve("client.py"), PYTHON_CLIENT);
        // The 80 KiB message fits; the 100,000-byte ones (plain, fragmented, deflated) do not.
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--ws-max-message", "90000")) {
            long worker = herd.workerPids().getFirst();
            List<String> out = python(dir, script, Integer.toString(herd.port()));
            assertThat(out).as("python output").contains(
                    "plain extensions None",
                    "plain text 'h\\xe9llo, herd \\u2603'",
                    "plain binary bytes 81920 True",
                    "plain fragmented 'fragmented t\\xebxt'",
                    "plain fragmented-binary 000102ff",
                    "plain closed 1000",
                    "deflate text 'h\\xe9llo, herd \\u2603'",
                    "deflate binary bytes 81920 True",
                    "deflate fragmented 'fragmented t\\xebxt'",
                    "deflate fragmented-binary 000102ff",
                    "deflate closed 1000",
                    "too-big closed 1009",
                    "too-big-fragmented closed 1009",
                    "too-big-deflated closed 1009",
                    "done");
            assertThat(out).filteredOn(l -> l.startsWith("deflate extensions ")).singleElement().asString()
                    .startsWith("deflate extensions permessage-deflate");
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
            assertThat(herd.workerPids()).containsExactly(worker);
            if (model.equals("sync")) {
                assertThat(herd.log()).contains("holds this sync worker's only thread");
            }
        }
    }

    // ---- 2. The JDK's client ----

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threads", "virtual", "async"})
    void jdkClientEchoesTextAndBinaryAndClosesWith1000(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model);
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            Collector listener = new Collector();
            WebSocket ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + herd.port() + "/ws/echo"), listener)
                    .get(10, TimeUnit.SECONDS);
            ws.sendText("hello from the JDK, \u00e9\u2603", true).get(10, TimeUnit.SECONDS);
            assertThat(listener.next()).isEqualTo("hello from the JDK, \u00e9\u2603");

            byte[] data = new byte[100_000];
            new Random(3).nextBytes(data);
            ws.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
            assertThat(listener.next()).isEqualTo(data);

            ws.sendText("first part, ", false).get(10, TimeUnit.SECONDS);
            ws.sendText("second part", true).get(10, TimeUnit.SECONDS);
            assertThat(listener.next()).isEqualTo("first part, second part");

            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(listener.messages).isEmpty();

            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
    }

    /** Collects whole messages (String or byte[]) and the close code from the JDK's client. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private StringBuilder text = new StringBuilder();
        private ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Object next() throws InterruptedException {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 10 s");
            }
            if (message instanceof Throwable error) {
                throw new AssertionError("the WebSocket failed", error);
            }
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text = new StringBuilder();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary = new ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            messages.add(error);
            closed.completeExceptionally(error);
        }
    }

    // ---- 3. A reload moves WebSockets to the new generation ----

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"async, ctl", "virtual, HUP"})
    void aReloadClosesOpenWebSocketsWith1001AndTheClientReconnectsToTheNewGeneration(String model, String how)
            throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--ws-ping-interval", "0")) {
            long old = herd.workerPids().getFirst();
            try (RawWebSocket ws = RawWebSocket.open(herd.port())) {
                ws.echoes("before the reload");
                if (how.equals("ctl")) {
                    HerdProcess.CtlResult reload = herd.ctl("reload");
                    assertThat(reload.status()).as(reload.output()).isZero();
                } else {
                    herd.signal("HUP");
                }
                Frame close = ws.read(Duration.ofSeconds(30));
                assertThat(close.opcode()).isEqualTo(CLOSE);
                assertThat(close.closeCode()).isEqualTo(1001);
                ws.send(true, 0, CLOSE, closePayload(1001, ""));
                ws.expectEnd();
            }
            herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), Duration.ofSeconds(30));
            try (RawWebSocket ws = RawWebSocket.open(herd.port())) {
                ws.echoes("after the reload");
                awaitGone(old);
                ws.echoes("still, with the old worker gone");
                assertThat(herd.workerPids()).hasSize(1).doesNotContain(old);
                ws.closeNormally();
            }
            assertThat(herd.get("/whoami").body()).contains("\"generation\":2");
        }
    }

    // ---- 4. A client that never reads ----

    @Test
    void aClientThatNeverReadsIsCutOffWithoutGrowingTheWorker() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "async", "--write-timeout", "1")) {
            long worker = herd.workerPids().getFirst();
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
            long before = StreamingIT.rssKiB(worker);
            long maxKiB = before;
            byte[] chunk = new byte[64 * 1024];
            new Random(11).nextBytes(chunk);
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            try (RawWebSocket ws = RawWebSocket.open(herd.port(), 16 * 1024)) {
                Thread writer = Thread.ofPlatform().daemon().name("never-reads").start(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    try {
                        while (System.nanoTime() < deadline) {
                            ws.send(true, 0, BINARY, chunk);
                            sent.addAndGet(chunk.length);
                        }
                        ended.complete(null);
                    } catch (IOException e) {
                        ended.complete(e);
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(17);
                while (!ended.isDone() && System.nanoTime() < deadline) {
                    maxKiB = Math.max(maxKiB, StreamingIT.rssKiB(worker));
                    Thread.sleep(20);
                }
                if (!ended.isDone()) {
                    ws.abort(); // unblocks the writer
                    writer.join(5000);
                    fail("the server did not close a WebSocket whose client never reads, within 17 s ("
                            + sent.get() + " bytes sent)");
                }
                assertThat(ended.get()).as("the writes end with the connection (%d bytes sent)", sent.get())
                        .isInstanceOf(IOException.class);
            }
            herd.awaitLog(Pattern.compile("took nothing"), Duration.ofSeconds(5));
            assertThat(maxKiB - before).as("RSS growth in KiB").isLessThan(64 * 1024);
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }

    // ---- helpers ----

    private static List<String> python(Path dir, Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        Path output = dir.resolve("python.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("the python client did not finish within 60 s:\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        assertThat(process.exitValue()).as("python client:\n%s", text).isZero();
        return text.lines().toList();
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                fail("the old worker " + pid + " still runs 20 s after the reload");
            }
            Thread.sleep(50);
        }
    }

}
