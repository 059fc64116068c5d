package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.herd.it.RawWebSocket.Frame;
import dev.herd.it.RawWebSocket.Handshake;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.herd.it.RawWebSocket.BINARY;
import static dev.herd.it.RawWebSocket.CLOSE;
import static dev.herd.it.RawWebSocket.CONTINUATION;
import static dev.herd.it.RawWebSocket.PING;
import static dev.herd.it.RawWebSocket.PONG;
import static dev.herd.it.RawWebSocket.TEXT;
import static dev.herd.it.RawWebSocket.closePayload;
import static dev.herd.it.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The protocol side of herd's WebSockets (RFC 6455), written byte by byte with
 * {@link RawWebSocket} against the demo's {@code /ws/echo}: broken frames, each answered with its
 * close code while the worker serves on, in every execution model; close frames with forbidden
 * codes or reasons; a client that leaves without a close frame, or before its upgrade was
 * answered; origins and versions at the handshake; pings and the idle timeout.
 */
class WebSocketProtocolIT {

    // ---- Broken frames, written by hand ----

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

    // ---- The handshake: origins and versions ----

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

    // ---- Pings and the idle timeout ----

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
}
