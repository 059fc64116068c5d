package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Third-party servlet apps, unmodified, on herd's Jetty workers: Jersey (web.xml), Spring Web
 * MVC (a WebApplicationInitializer found by Spring's ServletContainerInitializer), the H2
 * console, and a WAR that cannot deploy.
 */
class ServletAppsIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(HerdProcess herd, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(HerdProcess herd, String path) {
        return URI.create("http://127.0.0.1:" + herd.port() + path);
    }

    @Test
    void jerseyServesJsonSuspendedAndEventsOnTwoWorkers() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--access-log", "-", ServletApps.war("jersey").toString())) {
            List<Long> workers = herd.workerPids();
            assertThat(workers).hasSize(2);
            HttpResponse<String> pid = herd.get("/api/pid");
            assertThat(pid.statusCode()).isEqualTo(200);
            assertThat(workers).contains(Long.parseLong(pid.body()));

            HttpResponse<String> order = send(herd, HttpRequest.newBuilder(uri(herd, "/api/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"tea\",\"quantity\":3}")));
            assertThat(order.statusCode()).isEqualTo(200);
            assertThat(order.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(order.body()).contains("\"item\":\"tea\"").contains("\"total\":750");

            // @Suspended: the request thread went back to Jetty's pool; another thread resumed it.
            HttpResponse<String> later = herd.get("/api/later?ms=200");
            assertThat(later.body()).startsWith("resumed after 200 ms on ");

            HttpResponse<java.io.InputStream> events = http.send(HttpRequest.newBuilder(uri(herd, "/api/events?count=3"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            List<String> data = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                    }
                }
            }
            assertThat(data).containsExactly("tick 1", "tick 2", "tick 3");

            // The WAR's static welcome file, and the access log in herd's (Gunicorn's) format.
            assertThat(herd.get("/").body()).contains("static welcome file");
            herd.awaitLog(Pattern.compile("127\\.0\\.0\\.1 - - \\[.+\\] \"POST /api/orders HTTP/1\\.1\" 200 \\d+ \"-\" \"Java-http-client"),
                    Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "virtual"})
    void jerseyRunsUnderEveryBlockingModel(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, ServletApps.war("jersey").toString())) {
            assertThat(herd.get("/api/pid").body()).isEqualTo(herd.workerPids().getFirst().toString());
            assertThat(herd.get("/api/later?ms=50").body()).startsWith("resumed after 50 ms");
        }
    }

    @Test
    void asyncIsRefusedForServletApps() throws Exception {
        HerdProcess.CtlResult refused = HerdProcess.herd(Map.of(), HerdProcess.HOME, "serve", "-k", "async",
                "-b", "127.0.0.1:0", ServletApps.war("jersey").toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.output().strip()).startsWith("herd serve: servlet apps run under --worker-class sync, threads or virtual, not async");
    }

    @Test
    void springMvcControllerErrorPageAndMultipartUpload() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", ServletApps.war("spring").toString())) {
            HttpResponse<String> greeting = herd.get("/greeting?name=herd");
            assertThat(greeting.statusCode()).isEqualTo(200);
            assertThat(greeting.body()).contains("\"message\":\"hello, herd\"")
                    .contains("\"pid\":" + herd.workerPids().getFirst());

            HttpResponse<String> missing = herd.get("/no/such/page");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"status\":404").contains("\"path\":\"/no/such/page\"");

            HttpResponse<String> boom = herd.get("/boom");
            assertThat(boom.statusCode()).isEqualTo(500);
            assertThat(boom.body()).contains("\"status\":500").contains("IllegalStateException");

            byte[] file = new byte[300_000];
            new Random(7).nextBytes(file);
            String boundary = "herd-boundary-1234";
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(file);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            HttpResponse<String> upload = send(herd, HttpRequest.newBuilder(uri(herd, "/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
            assertThat(upload.body()).contains("\"filename\":\"data.bin\"").contains("\"size\":300000")
                    .contains("\"sha256\":\"" + sha + "\"");
        }
    }

    @Test
    void h2ConsoleLogsInAndRunsAQuery() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", ServletApps.war("h2").toString())) {
            HttpResponse<String> start = herd.get("/console/");
            assertThat(start.statusCode()).isEqualTo(200);
            // The console keeps its own session, named in its links (jsessionid=...).
            Matcher session = Pattern.compile("jsessionid=([0-9a-f]+)").matcher(start.body());
            assertThat(session.find()).as(start.body()).isTrue();
            String id = session.group(1);
            HttpResponse<String> login = herd.get("/console/login.jsp?jsessionid=" + id);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("login.do");

            String form = "language=en&setting=Generic+H2+%28Embedded%29&name=Generic+H2+%28Embedded%29"
                    + "&driver=org.h2.Driver&url=jdbc%3Ah2%3Amem%3Aherd&user=sa&password=";
            HttpResponse<String> loggedIn = send(herd, HttpRequest.newBuilder(uri(herd, "/console/login.do?jsessionid=" + id))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            assertThat(loggedIn.statusCode()).isEqualTo(200);
            assertThat(loggedIn.body()).contains("header.jsp?jsessionid=" + id);

            HttpResponse<String> query = send(herd, HttpRequest.newBuilder(uri(herd, "/console/query.do?jsessionid=" + id))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("sql=SELECT+6*7+AS+ANSWER")));
            assertThat(query.statusCode()).isEqualTo(200);
            assertThat(query.body()).contains("ANSWER").contains("42");
        }
    }

    @Test
    void aWarThatCannotDeployStopsTheMasterWithExit3AndNoCrashLoop(@TempDir Path dir) throws Exception {
        Path war = dir.resolve("broken");
        Files.createDirectories(war.resolve("WEB-INF"));
        Files.writeString(war.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
                  <servlet>
                    <servlet-name>missing</servlet-name>
                    <servlet-class>com.example.NoSuchServlet</servlet-class>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>missing</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
                </web-app>
                """);
        try (HerdProcess herd = HerdProcess.launch("-w", "2", war.toString())) {
            assertThat(herd.awaitExit(Duration.ofSeconds(60))).isEqualTo(3);
            String log = herd.log();
            assertThat(log).contains("cannot load the app: cannot deploy " + war)
                    .contains("com.example.NoSuchServlet")
                    .contains("workers failed to boot");
            // Each of the two workers tried once; the master did not keep spawning.
            assertThat(Pattern.compile("spawned worker").matcher(log).results().count()).isEqualTo(2);
        }
    }

    @Test
    void aMissingWarIsAUsageError() throws Exception {
        HerdProcess.CtlResult refused = HerdProcess.herd(Map.of(), HerdProcess.HOME, "serve", "-b", "127.0.0.1:0",
                "/no/such/app.war");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.output().strip()).isEqualTo("herd serve: cannot read the WAR /no/such/app.war");
    }
}
