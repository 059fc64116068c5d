package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * WebSockets (RFC 6455) on real workers, against the demo's {@code /ws/echo}: Python's
 * {@code websockets} (with and without permessage-deflate) and the JDK's client in every
 * execution model; broken frames written by hand, each answered with the right close code while
 * the worker serves on, and close frames with forbidden codes; a client that leaves without a
 * close frame; origins and versions at the handshake; pings and the idle timeout; a reload that
 * moves clients to the new generation with 1001; a client that never reads.
 */
class WebSocketIT {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Debian's interpreter, which has python3-websockets; the one on PATH may not. */
    private static final String PYTHON = "/usr/bin/python3";

    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

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

    // ---- 3. Broken frames, written by hand ----

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threads", "virtual", "async"})
    void brokenFramesGetTheirCloseCodeAndTheWorkerServesOn(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--ws-max-message", "65536")) {
            long worker = herd.workerPids().getFirst();
            int port = herd.port();
            byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);

            // A masked ping gets a pong with its payload; a ping between the fragments of a
            // message is answered at once, and the message comes back whole.
            try (RawWebSocket ws = RawWebSocket.open(port)) {
                byte[] payload = "ping payload \u2603".getBytes(StandardCharsets.UTF_8);
                ws.send(true, 0, PING, payload);
                Frame pong = ws.read();
                assertThat(pong.opcode()).isEqualTo(PONG);
                assertThat(pong.payload()).isEqualTo(payload);
                ws.send(true, 0, PONG, "unasked".getBytes(StandardCharsets.UTF_8)); // ignored

                ws.send(false, 0, TEXT, "ab".getBytes(StandardCharsets.UTF_8));
                ws.send(true, 0, PING, "between".getBytes(StandardCharsets.UTF_8));
                ws.send(false, 0, CONTINUATION, "cd".getBytes(StandardCharsets.UTF_8));
                ws.send(true, 0, CONTINUATION, "ef".getBytes(StandardCharsets.UTF_8));
                Frame between = ws.read();
                assertThat(between.opcode()).isEqualTo(PONG);
                assertThat(between.text()).isEqualTo("between");
                Frame joined = ws.read();
                assertThat(joined.opcode()).isEqualTo(TEXT);
                assertThat(joined.fin()).isTrue();
                assertThat(joined.text()).isEqualTo("abcdef");

                // An empty message, and a binary one at exactly --ws-max-message.
                ws.send(true, 0, BINARY, new byte[0]);
                assertThat(ws.read().payload()).isEmpty();
                byte[] max = new byte[65536];
                new Random(5).nextBytes(max);
                ws.send(true, 0, BINARY, max);
                Frame maxBack = ws.readMessage();
                assertThat(maxBack.opcode()).isEqualTo(BINARY);
                assertThat(maxBack.payload()).isEqualTo(max);

                // The client's close is echoed with its code, then the server closes TCP.
                ws.send(true, 0, CLOSE, closePayload(4000, "done here"));
                ws.expectAnsweringCloseThenEnd(4000);
            }

            record Case(String what, int expected, List<byte[]> frames) {
            }
            List<Case> cases = List.of(
                    new Case("unmasked frame", 1002, List.of(frame(true, 0, TEXT, hi, false))),
                    new Case("RSV1 without an extension", 1002, List.of(frame(true, 4, TEXT, hi, true))),
                    new Case("RSV3", 1002, List.of(frame(true, 1, BINARY, hi, true))),
                    new Case("ping of 126 bytes", 1002, List.of(frame(true, 0, PING, new byte[126], true))),
                    new Case("fragmented ping", 1002, List.of(frame(false, 0, PING, hi, true))),
                    new Case("reserved opcode 0x3", 1002, List.of(frame(true, 0, 0x3, hi, true))),
                    new Case("reserved control opcode 0xB", 1002, List.of(frame(true, 0, 0xB, hi, true))),
                    new Case("continuation without a message", 1002,
                            List.of(frame(true, 0, CONTINUATION, hi, true))),
                    new Case("new message inside a fragmented one", 1002,
                            List.of(frame(false, 0, TEXT, hi, true), frame(true, 0, TEXT, hi, true))),
                    new Case("text that is not UTF-8", 1007,
                            List.of(frame(true, 0, TEXT, new byte[]{(byte) 0xC3, 0x28}, true))),
                    new Case("fragments that are not UTF-8 together", 1007,
                            List.of(frame(false, 0, TEXT, new byte[]{'o', 'k', (byte) 0xE2}, true),
                                    frame(true, 0, CONTINUATION, new byte[]{0x28, (byte) 0xA1}, true))),
                    new Case("close with a 1-byte payload", 1002, List.of(frame(true, 0, CLOSE, new byte[]{3}, true))),
                    new Case("frame of 70000 bytes", 1009, List.of(frame(true, 0, BINARY, new byte[70000], true))),
                    new Case("fragments of 70000 bytes together", 1009,
                            List.of(frame(false, 0, BINARY, new byte[40000], true),
                                    frame(true, 0, CONTINUATION, new byte[30000], true))));
            for (Case c : cases) {
                try (RawWebSocket ws = RawWebSocket.open(port)) {
                    ws.sendRaw(c.frames());
                    ws.expectCloseThenEnd(c.expected(), c.what());
                }
            }
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
            assertThat(herd.workerPids()).containsExactly(worker);
            assertThat(herd.log()).doesNotContain("WARN").doesNotContain("ERROR");
        }
    }

    /**
     * A close frame whose code may not be sent (RFC 6455, 7.4.1 and 7.4.2), or whose reason is not
     * UTF-8 (8.1), fails the connection; since the client's close frame has not been answered,
     * the server must still answer it with one of its own (5.5.1), with the code that says why
     * (7.1.7: 1002, or 1007 for bytes that are not UTF-8), and then close.
     */
    @Test
    void aCloseFrameWithAForbiddenCodeOrBadReasonIsAnsweredWith1002Or1007() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "async")) {
            for (int code : new int[]{0, 999, 1004, 1005, 1006, 1015, 1016, 2999}) {
                try (RawWebSocket ws = RawWebSocket.open(herd.port())) {
                    ws.send(true, 0, CLOSE, closePayload(code, ""));
                    ws.expectAnsweringCloseThenEnd(1002, "close code " + code);
                }
            }
            try (RawWebSocket ws = RawWebSocket.open(herd.port())) {
                byte[] badReason = {0x03, (byte) 0xE8, (byte) 0xC3, 0x28};
                ws.send(true, 0, CLOSE, badReason);
                ws.expectAnsweringCloseThenEnd(1007, "close 1000 with a reason that is not UTF-8");
            }
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
    }

    /**
     * A client that goes away without a close frame (its process died, or it closed the socket):
     * the TCP connection's end is the WebSocket's end (RFC 6455, 7.1.5: closed with 1006), so the
     * server closes its side at once, and under sync the worker's only thread is free again.
     * Pings and the idle timeout are off, so only the end of the input can tell the server.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void aClientThatEndsItsSideWithoutACloseFrameIsLetGo(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--ws-ping-interval", "0",
                "--ws-idle-timeout", "0");
             RawWebSocket ws = RawWebSocket.open(herd.port())) {
            ws.echoes("about to go");
            ws.endOutput();
            Frame frame;
            try {
                frame = ws.read(Duration.ofSeconds(3));
            } catch (AssertionError stillOpen) {
                throw new AssertionError("the server kept the WebSocket open 3 s after its client ended the"
                        + " TCP connection without a close frame", stillOpen);
            }
            if (frame != null) {
                // A server may still say goodbye; then nothing more.
                assertThat(frame.opcode()).as("%s", frame).isEqualTo(CLOSE);
                ws.expectEnd("after the server's close frame");
            }
            assertThat(herd.get("/hello", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUpgradeWhoseClientLeftWhileItWaitedForAThreadHoldsNoThread() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "threads", "--threads", "1")) {
            RawWebSocket first = RawWebSocket.open(herd.port()); // holds the one thread
            first.echoes("holding");
            try (Socket queued = new Socket("127.0.0.1", herd.port())) {
                String key = Base64.getEncoder().encodeToString(RawWebSocket.randomBytes(16));
                queued.getOutputStream().write(("GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1:" + herd.port()
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                        + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                queued.getOutputStream().flush();
                Thread.sleep(300);
            } // its client leaves while the upgrade waits for the thread
            first.closeNormally();
            // The queued upgrade gets the thread, finds its client gone, and gives the thread back.
            try (RawWebSocket next = RawWebSocket.open(herd.port())) {
                next.echoes("served");
                next.closeNormally();
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    herd.ctl("status").output().contains("websockets 0 "));
        }
    }

    // ---- 4. The handshake: origins and versions ----

    @Test
    void originsAreCheckedAndOnlyVersion13IsSpoken() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "async")) {
            int port = herd.port();
            String self = "http://127.0.0.1:" + port;
            assertThat(RawWebSocket.handshake(port, "Origin: http://evil.example").status()).isEqualTo(403);
            assertThat(RawWebSocket.handshake(port, "Origin: http://127.0.0.1:1").status()).isEqualTo(403);
            assertThat(RawWebSocket.handshake(port, "Origin: null").status()).isEqualTo(403);
            for (String origin : List.of(self, "HTTP://127.0.0.1:" + port)) {
                try (RawWebSocket ws = RawWebSocket.open(port, "Origin: " + origin)) {
                    ws.echoes("same origin " + origin);
                    ws.closeNormally();
                }
            }
            // No Origin: not a browser, let through.
            try (RawWebSocket ws = RawWebSocket.open(port)) {
                ws.echoes("no origin");
                ws.closeNormally();
            }
            Handshake old = RawWebSocket.handshake(port, "Sec-WebSocket-Version: 8");
            assertThat(old.status()).isEqualTo(426);
            assertThat(old.headers()).containsEntry("sec-websocket-version", "13");
            assertThat(RawWebSocket.handshake(port, "Sec-WebSocket-Key: c2hvcnQ=").status())
                    .as("a key that is not 16 bytes").isEqualTo(400);
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "async", "--ws-origins", "http://app.example")) {
            int port = herd.port();
            try (RawWebSocket ws = RawWebSocket.open(port, "Origin: http://app.example")) {
                ws.echoes("listed origin");
                ws.closeNormally();
            }
            assertThat(RawWebSocket.handshake(port, "Origin: http://127.0.0.1:" + port).status())
                    .as("same origin, not listed").isEqualTo(403);
            assertThat(RawWebSocket.handshake(port, "Origin: http://evil.example").status()).isEqualTo(403);
        }
    }

    // ---- 5. Pings and the idle timeout ----

    @Test
    void pingsAreSentAndASilentClientIsClosedWith1001() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "async", "--ws-ping-interval", "0.2",
                "--ws-idle-timeout", "1");
             RawWebSocket answering = RawWebSocket.open(herd.port());
             RawWebSocket silent = RawWebSocket.open(herd.port())) {
            long start = System.nanoTime();
            Frame ping = silent.read(Duration.ofSeconds(2));
            assertThat(ping.opcode()).isEqualTo(PING);
            // The client that answers each ping is heard from; the silent one is not (pongs count, pings do not).
            CompletableFuture<Frame> afterPings = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("pongs").start(() -> {
                try {
                    Frame f;
                    while ((f = answering.read(Duration.ofSeconds(5))) != null && f.opcode() == PING) {
                        answering.send(true, 0, PONG, f.payload());
                    }
                    afterPings.complete(f);
                } catch (Throwable t) {
                    afterPings.completeExceptionally(t);
                }
            });
            Frame close;
            do {
                close = silent.read(Duration.ofSeconds(3));
            } while (close != null && close.opcode() == PING);
            assertThat(close).as("a close frame").isNotNull();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(800),
                    Duration.ofSeconds(3));
            silent.send(true, 0, CLOSE, closePayload(1001, ""));
            silent.expectEnd();
            Thread.sleep(300);
            // Past the silent one's end, the answering one is still served.
            assertThat(afterPings).isNotDone();
            answering.send(true, 0, TEXT, "still here".getBytes(StandardCharsets.UTF_8));
            Frame echo = afterPings.get(5, TimeUnit.SECONDS);
            assertThat(echo).as("the echo, not the end").isNotNull();
            assertThat(echo.opcode()).isEqualTo(TEXT);
            assertThat(echo.text()).isEqualTo("still here");
            answering.closeNormally();
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "virtual", "--ws-ping-interval", "0",
                "--ws-idle-timeout", "1");
             RawWebSocket ws = RawWebSocket.open(herd.port())) {
            long start = System.nanoTime();
            Frame close = ws.read(Duration.ofSeconds(3));
            long elapsed = System.nanoTime() - start;
            assertThat(close.opcode()).as("no pings with --ws-ping-interval 0").isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(Duration.ofNanos(elapsed)).isGreaterThan(Duration.ofMillis(800));
            ws.send(true, 0, CLOSE, closePayload(1001, ""));
            ws.expectEnd();
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
    }

    // ---- 6. A reload moves WebSockets to the new generation ----

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

    // ---- 7. A client that never reads ----

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

    static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    /** One frame as a client writes it (RFC 6455, 5.2): masked with a random key unless {@code masked} is false. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >> shift));
            }
        }
        if (!masked) {
            out.writeBytes(payload);
            return out.toByteArray();
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        out.writeBytes(key);
        byte[] body = new byte[payload.length];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (payload[i] ^ key[i & 3]);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** One frame as the server sent it. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close frame's code, or 1005 when it has none. */
        int closeCode() {
            assertThat(opcode).isEqualTo(CLOSE);
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : 1005;
        }

        @Override
        public String toString() {
            String shown = opcode == CLOSE && payload.length >= 2
                    ? closeCode() + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                    : payload.length + " bytes";
            return "Frame[fin=" + fin + " rsv=" + rsv + " opcode=0x" + Integer.toHexString(opcode)
                    + " masked=" + masked + " " + shown + "]";
        }
    }

    /** The status and headers (names in lower case) of an answer to an upgrade request. */
    record Handshake(int status, Map<String, String> headers) {
    }

    /** A WebSocket client on a plain socket, writing and reading frames byte for byte. */
    static final class RawWebSocket implements AutoCloseable {
        private static final Duration READ = Duration.ofSeconds(10);
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private RawWebSocket(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Opens a WebSocket to /ws/echo; extra headers replace the defaults of the same name. */
        static RawWebSocket open(int port, String... headers) throws IOException {
            return open(port, 0, headers);
        }

        /** Like {@link #open(int, String...)}, with a receive buffer of {@code receiveBuffer} bytes (0: default). */
        static RawWebSocket open(int port, int receiveBuffer, String... headers) throws IOException {
            String key = Base64.getEncoder().encodeToString(randomBytes(16));
            RawWebSocket ws = connect(port, receiveBuffer);
            try {
                Handshake answer = ws.upgrade(port, key, headers);
                assertThat(answer.status()).as("upgrade answer %s", answer).isEqualTo(101);
                assertThat(answer.headers()).containsEntry("upgrade", "websocket")
                        .containsEntry("sec-websocket-accept", accept(key));
                assertThat(answer.headers().get("connection")).isEqualToIgnoringCase("upgrade");
                assertThat(answer.headers()).doesNotContainKey("sec-websocket-extensions");
                return ws;
            } catch (IOException | RuntimeException | Error e) {
                ws.close();
                throw e;
            }
        }

        /** Sends an upgrade request and returns the answer's head; the connection is closed. */
        static Handshake handshake(int port, String... headers) throws IOException {
            try (RawWebSocket ws = connect(port, 0)) {
                return ws.upgrade(port, Base64.getEncoder().encodeToString(randomBytes(16)), headers);
            }
        }

        private static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) READ.toMillis());
            return new RawWebSocket(socket);
        }

        private Handshake upgrade(int port, String key, String... extra) throws IOException {
            Map<String, String> request = new LinkedHashMap<>();
            request.put("Host", "127.0.0.1:" + port);
            request.put("Upgrade", "websocket");
            request.put("Connection", "Upgrade");
            request.put("Sec-WebSocket-Key", key);
            request.put("Sec-WebSocket-Version", "13");
            for (String header : extra) {
                int colon = header.indexOf(':');
                request.put(header.substring(0, colon), header.substring(colon + 1).trim());
            }
            StringBuilder head = new StringBuilder("GET /ws/echo HTTP/1.1\r\n");
            request.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer: '" + status + "'");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line; !(line = line()).isEmpty(); ) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return new Handshake(Integer.parseInt(status.substring(9, 12)), headers);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new EOFException("the connection ended in the answer's head: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        /** Sends one masked frame. */
        void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
            sendRaw(List.of(frame(fin, rsv, opcode, payload, true)));
        }

        synchronized void sendRaw(List<byte[]> frames) throws IOException {
            for (byte[] f : frames) {
                out.write(f);
            }
            out.flush();
        }

        Frame read() throws IOException {
            return read(READ);
        }

        /** The next frame, or null at the end of the connection; fails the test past {@code timeout}. */
        Frame read(Duration timeout) throws IOException {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            try {
                int b0 = in.read();
                if (b0 < 0) {
                    return null;
                }
                int b1 = readByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = readByte() << 8 | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = length << 8 | readByte();
                    }
                }
                boolean masked = (b1 & 0x80) != 0;
                byte[] key = masked ? in.readNBytes(4) : null;
                if (length > 64L * 1024 * 1024) {
                    throw new AssertionError("a frame of " + length + " bytes");
                }
                byte[] payload = in.readNBytes((int) length);
                if (payload.length != length) {
                    throw new EOFException("the connection ended inside a frame");
                }
                if (masked) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= key[i & 3];
                    }
                }
                Frame frame = new Frame((b0 & 0x80) != 0, b0 >> 4 & 7, b0 & 0xF, masked, payload);
                assertThat(frame.masked()).as("a server's frame is never masked (RFC 6455, 5.1): %s", frame).isFalse();
                assertThat(frame.rsv()).as("no extension was agreed: %s", frame).isZero();
                return frame;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no frame from the server within " + timeout, e);
            }
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended inside a frame");
            }
            return b;
        }

        /** The next whole message, its fragments joined (control frames would fail the test). */
        Frame readMessage() throws IOException {
            Frame first = read();
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            whole.writeBytes(first.payload());
            Frame last = first;
            while (!last.fin()) {
                last = read();
                assertThat(last.opcode()).as("a continuation: %s", last).isEqualTo(CONTINUATION);
                whole.writeBytes(last.payload());
            }
            return new Frame(true, 0, first.opcode(), false, whole.toByteArray());
        }

        /** Sends a text and reads it back. */
        void echoes(String text) throws IOException {
            send(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
            Frame back = readMessage();
            assertThat(back.opcode()).as("%s", back).isEqualTo(TEXT);
            assertThat(back.text()).isEqualTo(text);
        }

        void expectCloseThenEnd(int code) throws IOException {
            expectCloseThenEnd(code, "");
        }

        void expectAnsweringCloseThenEnd(int code) throws IOException {
            expectAnsweringCloseThenEnd(code, "");
        }

        /** After the client's close: the server's answer is a close with {@code code}, then the end. */
        void expectAnsweringCloseThenEnd(int code, String what) throws IOException {
            Frame close;
            do {
                close = read(); // pings the server sent before it read our close may come first
            } while (close != null && close.opcode() == PING);
            assertThat(close).as("%s: the server's answering close frame, got the end of the connection", what)
                    .isNotNull();
            assertThat(close.opcode()).as("%s: %s", what, close).isEqualTo(CLOSE);
            assertThat(close.closeCode()).as("%s: %s", what, close).isEqualTo(code);
            expectEnd(what);
        }

        /**
         * The server's next frame is a close with {@code code}; the client answers it, as it must
         * (RFC 6455, 5.5.1), unless the server has gone already; then the connection ends.
         */
        void expectCloseThenEnd(int code, String what) throws IOException {
            Frame close;
            try {
                close = read();
            } catch (SocketException e) {
                throw new AssertionError(what + ": the connection was reset instead of closed with " + code, e);
            }
            assertThat(close).as("%s: a close frame, got the end of the connection", what).isNotNull();
            assertThat(close.opcode()).as("%s: %s", what, close).isEqualTo(CLOSE);
            assertThat(close.closeCode()).as("%s: %s", what, close).isEqualTo(code);
            try {
                send(true, 0, CLOSE, closePayload(code, ""));
            } catch (IOException gone) {
                // The server closed right after its close frame (it failed the connection): allowed.
            }
            expectEnd(what);
        }

        void expectEnd() throws IOException {
            expectEnd("");
        }

        /** The server closes the connection: end of stream (or a reset, when it left input unread). */
        void expectEnd(String what) throws IOException {
            socket.setSoTimeout(5000);
            try {
                int b = in.read();
                assertThat(b).as("%s: the server closes the connection after its close frame", what).isEqualTo(-1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError(what + ": the server left the connection open after the close handshake", e);
            } catch (SocketException reset) {
                // Closed with our bytes unread: the kernel resets instead of ending the stream.
            }
        }

        /** The client's side of the closing handshake. */
        void closeNormally() throws IOException {
            send(true, 0, CLOSE, closePayload(1000, ""));
            expectAnsweringCloseThenEnd(1000);
        }

        /** Ends the client's side of the TCP connection (a FIN), without a close frame. */
        void endOutput() throws IOException {
            socket.shutdownOutput();
        }

        /** Closes the socket at once, without a closing handshake. */
        void abort() throws IOException {
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        static byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            ThreadLocalRandom.current().nextBytes(bytes);
            return bytes;
        }

        static String accept(String key) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1")
                        .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
                return Base64.getEncoder().encodeToString(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
