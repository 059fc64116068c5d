package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * herd under a service manager, with the protocols systemd speaks: the notify socket (bound
 * here, at a path and in the abstract namespace), socket activation through Debian's
 * {@code systemd-socket-activate} (the same LISTEN_* handover as systemd as PID 1), and a TERM
 * that reaches every process of the group, as systemd's default KillMode=control-group sends it.
 */
class SystemdIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** systemd-socket-activate's line once it has bound the socket. */
    private static final Pattern MANAGER_LISTENING = Pattern.compile("^Listening on .* as 3\\.");

    @Test
    void notifiesBootReloadsFailedReloadStopAndWatchdogInOrder(@TempDir Path dir) throws Exception {
        Path jar = HerdProcess.fixtureJar();
        Path file = dir.resolve("herd.toml");
        Files.writeString(file, "workers = 2\napp-jar = \"" + jar + "\"\napp = \"dev.herd.fixtures.HangApp\"\n");
        try (NotifyListener notify = NotifyListener.bind(dir.resolve("notify.sock").toString(), dir);
             HerdProcess herd = HerdProcess.start(Map.of("NOTIFY_SOCKET", notify.address(), "WATCHDOG_USEC", "2000000"),
                     dir, "-k", "sync")) {
            int ready = notify.await(0, d -> d.has("READY=1"), WAIT);
            List<NotifyListener.Datagram> boot = notify.received().subList(0, ready + 1);
            assertThat(boot).as("before READY").noneMatch(d -> d.has("RELOADING=1") || d.has("STOPPING=1"));
            assertThat(boot).as("status while booting, with more start-up time")
                    .anyMatch(d -> d.field("STATUS") != null && d.field("STATUS").startsWith("starting, generation 1")
                            && Long.parseLong(d.field("EXTEND_TIMEOUT_USEC")) > 0);
            assertThat(notify.received().get(ready).field("STATUS")).isEqualTo("generation 1, 2/2 ready, 0 in flight");

            long before = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
            herd.signal("HUP");
            int reloading = notify.await(ready + 1, d -> d.has("RELOADING=1"), WAIT);
            long after = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
            assertThat(Long.parseLong(notify.received().get(reloading).field("MONOTONIC_USEC")))
                    .as("CLOCK_MONOTONIC when the reload started").isBetween(before, after);
            int reloaded = notify.await(reloading + 1, d -> d.has("READY=1"), WAIT);
            assertThat(notify.received().get(reloaded).field("STATUS")).startsWith("reload done: generation 2 serves");
            assertThat(notify.received().subList(reloading + 1, reloaded)).noneMatch(d -> d.has("READY=1"));

            Files.writeString(file, "workers = 2\napp-jar = \"" + jar + "\"\napp = \"dev.herd.fixtures.CrashOnBootApp\"\n");
            assertThat(herd.ctl("reload").status()).isEqualTo(1);
            int failing = notify.await(reloaded + 1, d -> d.has("RELOADING=1"), WAIT);
            int kept = notify.await(failing + 1, d -> d.has("READY=1"), WAIT);
            assertThat(notify.received().get(kept).field("STATUS"))
                    .startsWith("reload failed, generation 2 keeps serving");

            Thread.sleep(3000); // a few more watchdog pings and status lines
            herd.signal("TERM");
            assertThat(herd.awaitExit(WAIT)).isZero();
            int stopping = notify.await(kept + 1, d -> d.has("STOPPING=1"), WAIT);
            assertThat(notify.received().subList(stopping + 1, notify.received().size()))
                    .noneMatch(d -> d.has("READY=1") || d.has("RELOADING=1"));

            // WATCHDOG_USEC=2 s: a ping every second from the master's loop, the whole run long, never
            // as late as the watchdog's limit.
            List<Long> pings = notify.received().stream().filter(d -> d.has("WATCHDOG=1"))
                    .map(NotifyListener.Datagram::monotonicNanos).toList();
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < pings.size(); i++) {
                gaps.add(TimeUnit.NANOSECONDS.toMillis(pings.get(i) - pings.get(i - 1)));
            }
            long runMillis = TimeUnit.NANOSECONDS.toMillis(pings.getLast() - pings.getFirst());
            System.out.printf("watchdog: %d pings over %d ms, gaps %s%n", pings.size(), runMillis, gaps);
            assertThat(runMillis).isGreaterThan(4000);
            assertThat(gaps).allSatisfy(gap -> assertThat(gap).isBetween(900L, 1900L));
            List<String> statuses = notify.received().stream().filter(d -> d.text().startsWith("STATUS="))
                    .map(d -> d.field("STATUS")).toList();
            assertThat(statuses).as("the status about every second").contains("generation 2, 2/2 ready, 0 in flight");
        }
    }

    @Test
    void notifiesAnAbstractSocketAndLeavesTheWatchdogOfAnotherPidAlone(@TempDir Path dir) throws Exception {
        String address = "@herd-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyListener notify = NotifyListener.bind(address, dir);
             HerdProcess herd = HerdProcess.start(Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "400000",
                     "WATCHDOG_PID", "1"), HerdProcess.HOME, "-w", "1", "-k", "async")) {
            int ready = notify.await(0, d -> d.has("READY=1"), WAIT);
            Thread.sleep(1500);
            herd.signal("TERM");
            assertThat(herd.awaitExit(WAIT)).isZero();
            notify.await(ready + 1, d -> d.has("STOPPING=1"), WAIT);
            assertThat(notify.received()).as("the watchdog is another process's").noneMatch(d -> d.has("WATCHDOG=1"));
        }
    }

    @Test
    void servesOnTheInheritedTcpSocketAndWorkersSeeNoListenVariables(@TempDir Path dir) throws Exception {
        assumeSocketActivate();
        int port = freePort();
        try (NotifyListener notify = NotifyListener.bind(dir.resolve("notify.sock").toString(), dir);
             HerdProcess herd = HerdProcess.launch(activate("127.0.0.1:" + port, "NOTIFY_SOCKET"),
                     Map.of("NOTIFY_SOCKET", notify.address()), dir, "-w", "2", "-k", "threads")) {
            // The manager starts herd on the first connection; that one waits in the socket's queue
            // meanwhile, and herd serves it.
            herd.awaitLog(MANAGER_LISTENING, WAIT);
            CompletableFuture<HttpResponse<String>> first = get(port, "/hello");
            herd.awaitReady();
            herd.awaitLog(Pattern.compile("serving on the socket the service manager passed: fd 3 on 127.0.0.1:" + port),
                    WAIT);
            assertThat(first.get(30, TimeUnit.SECONDS).body()).isEqualTo("Hello, World!");
            assertThat(herd.port()).isEqualTo(port);
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
            for (long worker : herd.workerPids()) {
                String environment = Files.readString(Path.of("/proc/" + worker + "/environ")).replace('\0', '\n');
                assertThat(environment.lines()).as("worker %d's environment", worker)
                        .noneMatch(line -> line.startsWith("LISTEN_") || line.startsWith("NOTIFY_SOCKET=")
                                || line.startsWith("WATCHDOG_"));
            }
            String master = Files.readString(Path.of("/proc/" + herd.masterPid() + "/environ")).replace('\0', '\n');
            assertThat(master.lines()).contains("LISTEN_PID=" + herd.masterPid(), "LISTEN_FDS=1");
            notify.await(0, d -> d.has("READY=1"), WAIT);
        }
    }

    @Test
    void adoptsAUnixSocketByNameAndLeavesItsFileToTheManager(@TempDir Path dir) throws Exception {
        assumeSocketActivate();
        Path socket = dir.resolve("herd.sock");
        List<String> wrapper = new ArrayList<>(activate(socket.toString()));
        wrapper.add("--fdname=web");
        try (HerdProcess herd = HerdProcess.launch(wrapper, Map.of(), dir, "-w", "1", "-k", "virtual",
                "--bind", "fd:web")) {
            herd.awaitLog(MANAGER_LISTENING, WAIT);
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> curlUnix(socket, "/hello"));
            herd.awaitReady();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("Hello, World!");
            herd.awaitLog(Pattern.compile("serving on the socket the service manager passed: fd 3 \\(web\\) on unix:"
                    + Pattern.quote(socket.toString())), WAIT);
            assertThat(curlUnix(socket, "/hello")).isEqualTo("Hello, World!");
            herd.signal("TERM");
            assertThat(herd.awaitExit(WAIT)).isZero();
        }
        assertThat(socket).as("systemd's socket file, kept for the next start").exists();
    }

    @Test
    void anInheritedSocketThatNoBindAsksForIsAUsageError(@TempDir Path dir) throws Exception {
        assumeSocketActivate();
        int port = freePort();
        try (HerdProcess herd = HerdProcess.launch(activate("127.0.0.1:" + port), Map.of(), dir,
                "-w", "1", "--bind", "127.0.0.1:" + freePort())) {
            knock(herd, port).close();
            assertThat(herd.awaitExit(WAIT)).isEqualTo(2);
            assertThat(herd.log()).contains("fd 3 on 127.0.0.1:" + port + ", which no --bind asks for");
        }
    }

    /**
     * KillMode=control-group: TERM reaches the master and every worker at once. Workers drain like
     * on the master's stop: a request in flight is answered, every worker exits 0 and none counts
     * as a crash. A worker that alone gets TERM is replaced, the others serving on.
     */
    @Test
    void termToTheWholeGroupDrainsWorkersAndALoneWorkerTermIsReplaced(@TempDir Path dir) throws Exception {
        assumeSocketActivate();
        int port = freePort();
        // setsid: a process group of herd's own, as a service has (a kill of the test's group would
        // end the test itself).
        List<String> wrapper = new ArrayList<>(List.of("setsid"));
        wrapper.addAll(activate("127.0.0.1:" + port));
        try (HerdProcess herd = HerdProcess.launch(wrapper, Map.of(), dir, "-w", "2", "-k", "threads")) {
            knock(herd, port).close();
            herd.awaitReady();
            long lone = herd.workerPids().getFirst();
            HerdProcess.signal(lone, "TERM");
            herd.awaitLog(Pattern.compile("pid=" + lone + " received TERM and drains; starting its successor"), WAIT);
            herd.awaitLog(Pattern.compile("pid=" + lone + " exited with status 0"), WAIT);
            herd.awaitLog(Pattern.compile("worker \\d pid=(?!" + lone + ")\\d+ ready \\(generation 1"), WAIT);
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);

            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/io?ms=1500")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500);
            List<Long> workers = herd.workerPids();
            long group = Long.parseLong(new String(new ProcessBuilder("ps", "-o", "pgid=", "-p",
                    Long.toString(herd.masterPid())).start().getInputStream().readAllBytes()).trim());
            assertThat(group).as("herd runs in a process group of its own here").isEqualTo(herd.masterPid());
            assertThat(new ProcessBuilder("kill", "-TERM", "--", "-" + group).inheritIO().start().waitFor()).isZero();
            assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(herd.awaitExit(WAIT)).isZero();
            for (long worker : workers) {
                assertThat(herd.log()).contains("pid=" + worker + " exited with status 0");
            }
            assertThat(herd.log()).doesNotContain("starting a replacement").doesNotContain("status 143");
        }
    }

    /**
     * Connects once the manager listens: without --accept, systemd-socket-activate starts herd on
     * the first connection, as a socket unit does.
     */
    private static Socket knock(HerdProcess herd, int port) throws Exception {
        herd.awaitLog(MANAGER_LISTENING, WAIT);
        return new Socket("127.0.0.1", port);
    }

    /**
     * deploy/systemd's units as systemd reads them: systemd-analyze verify (which needs no running
     * systemd) says nothing about them, with the paths pointed at this checkout.
     */
    @Test
    void theUnitFilesVerifyCleanly(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze (Debian systemd) is absent");
        String service = Files.readString(HerdProcess.HOME.resolve("deploy/systemd/herd.service"));
        assertThat(service).contains("Type=notify", "NotifyAccess=main", "KillMode=mixed", "WatchdogSec=",
                "ExecReload=/opt/herd/herd ctl");
        int stopSeconds = Integer.parseInt(service.lines().filter(l -> l.startsWith("TimeoutStopSec="))
                .findFirst().orElseThrow().substring("TimeoutStopSec=".length()));
        assertThat(stopSeconds).as("above the default --graceful-timeout of 30 s").isGreaterThan(30);
        Files.writeString(dir.resolve("herd.service"), service.replace("/opt/herd/herd", HerdProcess.HOME.resolve("herd")
                .toString()).replace("User=herd", "User=root").replace("Group=herd", "Group=root"));
        Files.copy(HerdProcess.HOME.resolve("deploy/systemd/herd.socket"), dir.resolve("herd.socket"));
        Process verify = new ProcessBuilder("systemd-analyze", "verify", "./herd.socket", "./herd.service")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes());
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).as("systemd-analyze's complaints").isEmpty();
    }

    private static void assumeSocketActivate() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-socket-activate")),
                "systemd-socket-activate (Debian package systemd) is not installed");
    }

    /** systemd-socket-activate listening on {@code address}, passing {@code keep} through. */
    private static List<String> activate(String address, String... keep) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/systemd-socket-activate", "-l", address));
        for (String variable : keep) {
            command.add("-E");
            command.add(variable);
        }
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static CompletableFuture<HttpResponse<String>> get(int port, String path) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String curlUnix(Path socket, String path) {
        try {
            Process curl = new ProcessBuilder("curl", "-s", "--max-time", "50", "--unix-socket", socket.toString(),
                    "http://localhost" + path).start();
            String body = new String(curl.getInputStream().readAllBytes());
            curl.waitFor(55, TimeUnit.SECONDS);
            return body;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
