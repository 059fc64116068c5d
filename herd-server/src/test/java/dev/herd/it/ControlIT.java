package dev.herd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** herd ctl, the pid file, the control socket's privacy, and scaling at run time. */
class ControlIT {

    @Test
    void statusPidFileAndPrivateControlSocket(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("herd.pid");
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--pid", pidFile.toString())) {
            assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(herd.masterPid()));
            Path socket = dev.herd.ipc.ControlSocketLocation.defaultSocket(herd.masterPid());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                    .isEqualTo("rwx------");

            herd.get("/hello");
            HerdProcess.CtlResult text = herd.ctl("status");
            assertThat(text.status()).isZero();
            assertThat(text.output()).startsWith("master pid=" + herd.masterPid() + " running")
                    .contains("├─ worker 1 pid=").contains("└─ worker 2 pid=").contains("threads").contains("rss");

            HerdProcess.CtlResult json = herd.ctl("status", "--json");
            JsonNode status = new ObjectMapper().readTree(json.output());
            assertThat(status.path("master").path("pid").asLong()).isEqualTo(herd.masterPid());
            assertThat(status.path("workers")).hasSize(2);
            for (JsonNode worker : status.path("workers")) {
                assertThat(herd.workerPids()).contains(worker.path("pid").asLong());
                assertThat(worker.path("state").asText()).isEqualTo("ready");
                assertThat(worker.path("threads").asInt()).isPositive();
                assertThat(worker.path("rss_kib").asLong()).isPositive();
                assertThat(worker.path("heartbeat_age_s").asDouble()).isLessThan(5.0);
            }
            assertThat(herd.ctl("frobnicate").status()).isEqualTo(2);

            herd.ctl("stop");
            assertThat(herd.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(pidFile).doesNotExist();
            assertThat(socket).doesNotExist();
        }
    }

    @Test
    void statusCountsOpenStreamsAndWebSocketsPerWorker() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "virtual")) {
            HttpClient client = HttpClient.newHttpClient();
            WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + herd.port() + "/ws/echo"), new WebSocket.Listener() {
                    }).get(10, TimeUnit.SECONDS);
            HttpResponse<java.io.InputStream> events = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + herd.port() + "/events?count=1000&ms=500")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(events.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode worker = new ObjectMapper().readTree(herd.ctl("status", "--json").output())
                        .path("workers").get(0);
                return worker.path("websockets").asInt() == 1 && worker.path("streams").asInt() == 1;
            });
            assertThat(herd.ctl("status").output()).contains("streams 1").contains("websockets 1");
            events.body().close();
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode worker = new ObjectMapper().readTree(herd.ctl("status", "--json").output())
                        .path("workers").get(0);
                return worker.path("websockets").asInt() == 0 && worker.path("streams").asInt() == 0;
            });
            // Nothing is left waiting on the closed stream: the worker stops at once.
            herd.signal("TERM");
            assertThat(herd.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void scaleUpAndDownUnderLoadFailsNoRequest() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "threads");
             KeepAliveLoad load = new KeepAliveLoad(herd.port(), "/whoami", 6)) {
            assertThat(herd.ctl("scale", "3").output()).contains("1 -> 3");
            await().atMost(Duration.ofSeconds(30)).until(() -> herd.ctl("status", "--json").output()
                    .split("\"ready\"", -1).length - 1 == 3);
            herd.signal("TTIN");
            await().atMost(Duration.ofSeconds(30)).until(() -> herd.workerPids().size() == 4);
            assertThat(herd.ctl("remove", "2").output()).contains("4 -> 2");
            herd.signal("TTOU");
            await().atMost(Duration.ofSeconds(30)).until(() -> herd.workerPids().size() == 1);
            Thread.sleep(500);
            load.stop();
            System.out.printf("scale 1 -> 4 -> 1 under keep-alive load: %d ok, %d failed%n", load.ok(), load.failed());
            assertThat(load.failed()).as("failures: %s", load.failures()).isZero();
            assertThat(herd.ctl("scale", "0").status()).isEqualTo(1);
        }
    }

    @Test
    void ctlWithoutAMasterSaysSo(@TempDir Path dir) throws Exception {
        HerdProcess.CtlResult result = HerdProcess.herd(Map.of(), dir, "ctl", "--control-socket",
                dir.resolve("none.sock").toString(), "status");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.output()).contains("cannot talk to the master");
    }
}
