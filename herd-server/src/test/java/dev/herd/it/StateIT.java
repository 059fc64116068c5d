package dev.herd.it;

import dev.herd.ipc.ControlSocketLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local store's own parts ({@code --state local}): its file across master restarts, its
 * socket, and bad input. What the workers see of it, for each backend, is it/tests' SharedStateIT.
 */
class StateIT {

    private static String[] twoWorkers(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("-w", "2", "-k", model, "--balance", "least-busy"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }


    private static String me(HerdProcess herd, String cookie) throws Exception {
        try (WorkerConnection c = new WorkerConnection(herd.port()).cookie(cookie)) {
            WorkerConnection.Reply me = c.get("/me");
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            return me.body();
        }
    }

    @Test
    void withAStateFileTheMasterComesBackWithItsStateAfterAStopAndAKill(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herd.state");
        String cookie;
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--state-file", file.toString())) {
            try (WorkerConnection c = new WorkerConnection(herd.port())) {
                assertThat(c.get("/login?user=bob").status()).isEqualTo(200);
                cookie = c.cookie().orElseThrow();
                assertThat(c.request("POST", "/count?times=5", "").body().trim()).isEqualTo("5");
            }
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--state-file", file.toString())) {
            assertThat(herd.log()).contains("state file " + file);
            assertThat(me(herd, cookie)).as("after a graceful stop").startsWith("bob");
            try (WorkerConnection c = new WorkerConnection(herd.port())) {
                assertThat(c.request("POST", "/count", "").body().trim()).isEqualTo("6");
            }
            // kill -9 of the master: the file has every change it acknowledged (written before the reply).
            herd.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--state-file", file.toString())) {
            assertThat(me(herd, cookie)).as("after kill -9 of the master").startsWith("bob");
            assertThat(herd.get("/count").body().trim()).isEqualTo("6");
        }
    }

    @Test
    void aWorkerThatSendsGarbageOnTheStateSocketIsCutOffAndTheOthersGoOn() throws Exception {
        try (HerdProcess herd = HerdProcess.start(twoWorkers("threads"))) {
            Path control = ControlSocketLocation.defaultSocket(herd.masterPid());
            Path state = control.resolveSibling("master-" + herd.masterPid() + "-state.sock");
            assertThat(Files.getPosixFilePermissions(state)).as("0600")
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            try (SocketChannel garbage = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                garbage.connect(UnixDomainSocketAddress.of(state));
                garbage.write(ByteBuffer.wrap(new byte[]{0, 0, 0, 5, 99, 0, 0, 0, 1}));
                int read = garbage.read(ByteBuffer.allocate(16));
                assertThat(read).as("disconnected").isEqualTo(-1);
            }
            herd.awaitLog(Pattern.compile("state socket: process " + ProcessHandle.current().pid()
                    + " sent what is not a state command \\(unknown command 99\\); disconnecting it"), Duration.ofSeconds(5));
            WorkerConnection[] both = WorkerConnection.onBothWorkers(herd.port());
            try (WorkerConnection a = both[0]; WorkerConnection b = both[1]) {
                assertThat(a.request("POST", "/count", "").status()).isEqualTo(200);
                assertThat(b.request("POST", "/count", "").body().trim()).isEqualTo("2");
            }
        }
    }

    @Test
    void aDamagedStateFileStopsTheMasterWithTheOffsetAndIsLeftAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("herd.state");
        byte[] damaged = "HERDSTATE1\n\u0000\u0000\u0000\u0010garbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(file, damaged);
        try (HerdProcess herd = HerdProcess.launch("--state-file", file.toString())) {
            assertThat(herd.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(herd.log()).contains("is damaged at byte offset 11: a record is cut short");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
    }

    @Test
    void aStoreLargerThanTheMastersHeapIsRefusedWithTheWayOut() throws Exception {
        try (HerdProcess herd = HerdProcess.launch("--state-max-bytes", "1g")) {
            assertThat(herd.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(herd.log()).contains("--state-max-bytes 1024m does not fit the master's heap of")
                    .contains("HERD_MASTER_JAVA_OPTS=-Xmx1601m");
        }
    }
}
