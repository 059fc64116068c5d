package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The error log and the access log go to files, and USR1 reopens both (as logrotate needs). */
class LogFilesIT {

    @Test
    void usr1ReopensTheErrorLogAndTheAccessLog(@TempDir Path dir) throws Exception {
        Path errorLog = dir.resolve("herd.log");
        Path accessLog = dir.resolve("access.log");
        try (HerdProcess herd = HerdProcess.launch("-w", "2", "--error-log", errorLog.toString(),
                "--access-log", accessLog.toString())) {
            Matcher ready = await().atMost(Duration.ofSeconds(60)).until(() -> readyLine(errorLog), m -> m != null);
            int port = Integer.parseInt(ready.group(1));
            herd.workerPids();
            HttpClient client = HttpClient.newHttpClient();
            URI hello = URI.create("http://127.0.0.1:" + port + "/hello");
            assertThat(client.send(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(accessLog)
                    && Files.readString(accessLog).contains("\"GET /hello HTTP/1.1\" 200 13"));
            assertThat(herd.log()).as("nothing goes to the terminal").doesNotContain("ready pid=");

            Files.move(errorLog, dir.resolve("herd.log.1"));
            Files.move(accessLog, dir.resolve("access.log.1"));
            herd.signal("USR1");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(errorLog)
                    && Files.readString(errorLog).contains("log files reopened"));
            // Workers reopen on the master's word; a request after that lands in the new file.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                client.send(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.discarding());
                return Files.exists(accessLog) && Files.readString(accessLog).contains("GET /hello");
            });
            assertThat(Files.readString(dir.resolve("access.log.1"))).contains("GET /hello");
        }
    }

    private static Matcher readyLine(Path errorLog) throws Exception {
        if (!Files.exists(errorLog)) {
            return null;
        }
        Matcher m = Pattern.compile("ready pid=\\d+ listen=127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(errorLog));
        return m.find() ? m : null;
    }
}
