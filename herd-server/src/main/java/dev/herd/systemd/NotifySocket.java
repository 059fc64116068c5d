package dev.herd.systemd;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The datagram socket that sd_notify(3) messages go out on. The JDK has no unix datagram
 * socket; Netty's native one has, and herd already loads it. An address that starts with
 * {@code @} is in the abstract namespace (the leading byte becomes NUL), as systemd writes it.
 */
final class NotifySocket implements AutoCloseable {

    private final Socket socket;
    private final byte[] address;

    NotifySocket(String address) {
        Epoll.ensureAvailability();
        this.socket = Socket.newSocketDomainDgram();
        byte[] bytes = address.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && bytes[0] == '@') {
            bytes[0] = 0;
        }
        this.address = bytes;
    }

    /** Sends one message (newline-separated assignments) in one datagram. */
    void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        int sent = socket.sendToDomainSocket(buffer, 0, bytes.length, address);
        if (sent != bytes.length) {
            throw new IOException("sent " + sent + " of " + bytes.length + " bytes");
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing was pending on it.
        }
    }
}
