package dev.herd.http;

import dev.herd.config.BindAddress;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The master's unix listening sockets: mode, stale files, files that are not ours, clean-up. */
class ListenSocketTest {

    private static EventLoopGroup loop;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLoop() {
        loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void unixSocketGetsItsModeAcceptsConnectionsAndIsRemovedOnClose() throws Exception {
        Path file = dir.resolve("app.sock");
        ListenSocket socket = ListenSocket.bind(loop, BindAddress.unix(file.toString()), 16, "0640");
        try {
            assertThat(socket.address().toString()).isEqualTo("unix:" + file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
            assertThat(socket.fd()).isPositive();
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                assertThat(client.connect(UnixDomainSocketAddress.of(file))).isTrue();
            }
        } finally {
            socket.close();
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path file = dir.resolve("stale.sock");
        try (var left = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            left.bind(UnixDomainSocketAddress.of(file));
        }
        assertThat(file).exists();
        ListenSocket socket = ListenSocket.bind(loop, BindAddress.unix(file.toString()), 16, "0660");
        socket.close();
        assertThat(file).doesNotExist();
    }

    @Test
    void liveSocketAndOrdinaryFilesAreLeftAlone() throws Exception {
        Path live = dir.resolve("live.sock");
        ListenSocket first = ListenSocket.bind(loop, BindAddress.unix(live.toString()), 16, "0660");
        try {
            assertThatThrownBy(() -> ListenSocket.bind(loop, BindAddress.unix(live.toString()), 16, "0660"))
                    .isInstanceOf(IOException.class).hasMessageContaining("another server");
            assertThat(live).exists();
        } finally {
            first.close();
        }
        Path ordinary = Files.writeString(dir.resolve("data.txt"), "keep me");
        assertThatThrownBy(() -> ListenSocket.bind(loop, BindAddress.unix(ordinary.toString()), 16, "0660"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(ordinary)).isEqualTo("keep me");
    }
}
