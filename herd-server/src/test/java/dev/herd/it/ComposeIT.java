package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/compose.yaml under podman-compose: nginx in front of herd, Redis behind it. No registry
 * is reachable here, so the nginx and Redis images are made from this machine's own nginx and
 * redis-server (Debian's), through the file's image variables; herd's is deploy/container's.
 * Requests go through nginx, herd believes nginx's forwarded headers (a network in
 * --forwarded-allow-ips), the demo's counter and sessions live in Redis, and a stop ends herd
 * with exit status 0.
 */
class ComposeIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void nginxHerdAndRedisServeTogether(@TempDir Path dir) throws Exception {
        String unavailable = Podman.unavailable();
        assumeTrue(unavailable == null, unavailable);
        for (String tool : List.of("/usr/bin/podman-compose", "/usr/sbin/nginx", "/usr/bin/redis-server")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed (Debian packages podman-compose,"
                    + " nginx, redis-server)");
        }
        long pid = ProcessHandle.current().pid();
        String herdImage = "localhost/herd-compose-it:" + pid;
        String nginxImage = "localhost/herd-compose-it-nginx:" + pid;
        String redisImage = "localhost/herd-compose-it-redis:" + pid;
        String project = "herdit" + pid;
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(Map.of("CONTAINERS_CONF", Podman.containersConf(dir).toString(),
                "HERD_IMAGE", herdImage, "NGINX_IMAGE", nginxImage, "REDIS_IMAGE", redisImage,
                "HERD_PORT", Integer.toString(port)));
        String[] compose = {"podman-compose", "-p", project, "-f", HerdProcess.HOME.resolve("deploy/compose.yaml").toString()};
        try {
            Commands.Result build = Commands.run(Map.of("HERD_NO_BUILD", "1", "PODMAN_BUILD_OPTS", "--layers=false"), 600,
                    HerdProcess.HOME.resolve("deploy/container/build.sh").toString(), "-t", herdImage);
            assertThat(build.status()).as(build.output()).isZero();
            Podman.imageFromHost(nginxImage, null, dir, List.of("/usr/sbin/nginx"), "0:0");
            Podman.imageFromHost(redisImage, null, dir, List.of("/usr/bin/redis-server", "/usr/bin/redis-cli"), "65534:65534");

            Commands.Result up = Commands.run(env, 300, concat(compose, "up", "-d"));
            assertThat(up.status()).as(up.output()).isZero();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                    client.send(get(base + "/hello"), HttpResponse.BodyHandlers.ofString()).body().equals("Hello, World!"));

            // The client herd sees is the one nginx saw, not nginx itself.
            String nginxAddress = Commands.run(env, 30, "podman", "inspect", project + "_nginx_1", "--format",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}").output().trim();
            String whoami = client.send(get(base + "/whoami"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(nginxAddress).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            assertThat(whoami).doesNotContain("\"client\":\"" + nginxAddress + "\"").contains("\"client\":\"");

            // State in Redis: a counter every worker adds to, and a session that follows its cookie.
            for (int i = 1; i <= 5; i++) {
                HttpResponse<String> counted = client.send(HttpRequest.newBuilder(URI.create(base + "/count"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(counted.statusCode()).isEqualTo(200);
            }
            assertThat(client.send(get(base + "/count"), HttpResponse.BodyHandlers.ofString()).body().trim()).isEqualTo("5");
            Commands.Result inRedis = Commands.run(env, 30, "podman", "exec", project + "_redis_1", "redis-cli", "--scan");
            assertThat(inRedis.output()).as("the keys in Redis").contains("demo:count");
            HttpResponse<String> login = client.send(get(base + "/login?user=ada"), HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            for (int i = 0; i < 4; i++) {
                assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/me")).header("Cookie", cookie).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).contains("ada");
            }

            Commands.Result stop = Commands.run(env, 180, concat(compose, "stop"));
            assertThat(stop.status()).as(stop.output()).isZero();
            String exit = Commands.run(env, 30, "podman", "inspect", project + "_herd_1", "--format",
                    "{{.State.ExitCode}}").output().trim();
            assertThat(exit).as("herd's exit status; log:\n%s",
                    Commands.run(env, 30, "podman", "logs", project + "_herd_1").output()).isEqualTo("0");
        } finally {
            Commands.run(env, 180, concat(compose, "down", "-v"));
            Commands.run(env, 60, "podman", "network", "rm", "-f", project + "_herd");
            Commands.run(env, 60, "podman", "rmi", "-f", herdImage, nginxImage, redisImage);
        }
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
