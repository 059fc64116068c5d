package dev.herd.it;

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
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A WebSocket client on a plain socket, writing and reading frames byte for byte: what
 * WebSocketProtocolIT needs to send frames no library would (unmasked, reserved bits, bad close codes)
 * and to see exactly what the server answers.
 */
final class RawWebSocket implements AutoCloseable {

    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

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
        return openAt(port, "/ws/echo", receiveBuffer, headers);
    }

    /** Opens a WebSocket to {@code target}. */
    static RawWebSocket openAt(int port, String target, int receiveBuffer, String... headers) throws IOException {
        String key = Base64.getEncoder().encodeToString(randomBytes(16));
        RawWebSocket ws = connect(port, receiveBuffer);
        try {
            Handshake answer = ws.upgrade(port, target, key, headers);
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
        return upgrade(port, "/ws/echo", key, extra);
    }

    private Handshake upgrade(int port, String target, String key, String... extra) throws IOException {
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
        StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\n");
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
