package dev.herd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real nginx in front of herd over a unix socket, as in production: the forwarded client
 * address and scheme reach the app, nginx keeps its upstream connections alive, a large body
 * passes, and reloads behind it cause no 502.
 */
class NginxIT {

    @Test
    void nginxInFrontOverAUnixSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("herd.sock");
        int port = freePort();
        try (HerdProcess herd = HerdProcess.start("-w", "2", "-b", "unix:" + socket, "--bind-mode", "0660");
             Nginx nginx = Nginx.start(dir, port, socket)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + port);

            JsonNode whoami = new ObjectMapper().readTree(client.send(HttpRequest.newBuilder(base.resolve("/whoami"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            // The unix peer is trusted by default: nginx's X-Forwarded-For and -Proto are believed.
            assertThat(whoami.path("client").asText()).isEqualTo("127.0.0.1");
            assertThat(whoami.path("scheme").asText()).isEqualTo("https");

            byte[] body = new byte[5 * 1024 * 1024];
            new Random(42).nextBytes(body);
            HttpResponse<String> upload = client.send(HttpRequest.newBuilder(base.resolve("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(200);
            assertThat(upload.body()).isEqualTo(body.length + " bytes, sha256 "
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)) + "\n");

            try (KeepAliveLoad load = new KeepAliveLoad(port, "/whoami", 6)) {
                Thread.sleep(500);
                for (int i = 0; i < 3; i++) {
                    HerdProcess.CtlResult reload = herd.ctl("reload");
                    assertThat(reload.status()).as(reload.output()).isZero();
                }
                Thread.sleep(1500);
                // nginx holds idle keep-alive connections to herd now; count them before they age out.
                int upstream = openConnections(herd);
                load.stop();
                System.out.printf("3 reloads behind nginx: %d ok, %d failed; %d upstream connections open%n",
                        load.ok(), load.failed(), upstream);
                assertThat(load.failed()).as("failures (502s show as 'status 502'): %s", load.failures()).isZero();
                assertThat(load.ok()).isGreaterThan(300);
                assertThat(upstream).as("nginx reuses its upstream connections").isBetween(1, 16);
            }
            assertThat(nginx.process().isAlive()).isTrue();
            assertThat(Files.readString(dir.resolve("error.log"))).doesNotContain("[error]");
        }
        assertThat(socket).as("the unix socket file is removed on exit").doesNotExist();
    }

    private static int openConnections(HerdProcess herd) throws Exception {
        JsonNode status = new ObjectMapper().readTree(herd.ctl("status", "--json").output());
        int total = 0;
        for (JsonNode worker : status.path("workers")) {
            total += worker.path("connections").asInt();
        }
        return total;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** nginx in the foreground with its own configuration and temp directories under {@code dir}. */
    private record Nginx(Process process) implements AutoCloseable {

        static Nginx start(Path dir, int port, Path socket) throws Exception {
            boolean root = "root".equals(System.getProperty("user.name"));
            String conf = """
                    daemon off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    %4$s
                    events { worker_connections 256; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      client_max_body_size 20m;
                      upstream herd {
                        server unix:%3$s;
                        keepalive 16;
                      }
                      server {
                        listen 127.0.0.1:%2$d;
                        location / {
                          proxy_pass http://herd;
                          proxy_http_version 1.1;
                          proxy_set_header Connection "";
                          proxy_set_header Host $host;
                          proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                          proxy_set_header X-Forwarded-Proto https;
                        }
                      }
                    }
                    """.formatted(dir, port, socket, root ? "user root;" : "");
            Path file = dir.resolve("nginx.conf");
            Files.writeString(file, conf);
            String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
            Process process = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try {
                    new Socket("127.0.0.1", port).close();
                    return new Nginx(process);
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
                    }
                    Thread.sleep(50);
                }
            }
            process.destroyForcibly();
            throw new AssertionError("nginx did not start listening on " + port);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
