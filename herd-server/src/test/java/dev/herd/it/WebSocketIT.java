package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.herd.it.RawWebSocket.Frame;
import dev.herd.it.RawWebSocket.Handshake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
import static dev.herd.it.RawWebSocket.CONTINUATION;
import static dev.herd.it.RawWebSocket.PING;
import static dev.herd.it.RawWebSocket.PONG;
import static dev.herd.it.RawWebSocket.TEXT;
import static dev.herd.it.RawWebSocket.closePayload;
import static dev.herd.it.RawWebSocket.frame;
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

}
