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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apps on the JDK's {@code com.sun.net.httpserver}, unmodified, in herd's workers through
 * herd's HttpServerProvider: a plain app (contexts, a filter, basic authentication, bodies
 * streamed both ways), Jersey's JDK container, and the JDK's own SimpleFileServer.
 */
class JdkHttpServerIT {

    private static final String JAR = System.getProperty("herd.test.jdk.app");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String[] app(String main, String... more) {
        List<String> args = new ArrayList<>(List.of("--app-jar", JAR, "--main", "dev.herd.it.jdk." + main));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private HttpRequest.Builder request(HerdProcess herd, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herd.port() + path)).timeout(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "threads", "virtual"})
    void aPlainAppServesContextsFiltersAuthenticationAndStreams(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start(app("PlainMain", "-w", "2", "-k", model))) {
            List<Long> workers = herd.workerPids();
            HttpResponse<String> root = herd.get("/some/where?x=1");
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(root.headers().firstValue("X-Filtered")).hasValue("yes");
            assertThat(root.body()).matches("pid \\d+ path /some/where\\?x=1 thread "
                    + (model.equals("virtual") ? "virtual" : "platform"));
            assertThat(workers).contains(Long.parseLong(root.body().split(" ")[1]));

            // A body larger than --body-buffer arrives as a stream and goes back chunked as it is read.
            byte[] upload = new byte[3 * 1024 * 1024];
            new Random(11).nextBytes(upload);
            HttpResponse<byte[]> echo = http.send(request(herd, "/echo").POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echo.statusCode()).isEqualTo(200);
            assertThat(echo.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
            assertThat(echo.body()).isEqualTo(upload);

            HttpResponse<java.io.InputStream> ticks = http.send(request(herd, "/ticks").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            List<String> lines = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(ticks.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                    arrivals.add(System.nanoTime());
                }
            }
            assertThat(lines).containsExactly("tick 1", "tick 2", "tick 3");
            // Flushed as written, not gathered until the end.
            assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(2) - arrivals.get(0))).isGreaterThanOrEqualTo(150);

            HttpResponse<String> refused = herd.get("/secret");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Basic realm=\"herd\""));
            HttpResponse<String> admitted = http.send(request(herd, "/secret").header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(admitted.body()).isEqualTo("hello ada");

            assertThat(herd.get("/nothing").statusCode()).isEqualTo(204);
            assertThat(herd.log()).contains("the app's HttpServer asks for 0.0.0.0/0.0.0.0:8080; herd serves it on its own listeners instead")
                    .contains("the app's HttpServer executor is replaced by herd's execution model");
        }
    }

    @Test
    void jerseysJdkContainerRunsOnHerdsProvider() throws Exception {
        try (HerdProcess herd = HerdProcess.start(app("JerseyMain", "-w", "2"))) {
            HttpResponse<String> hello = herd.get("/hello?name=jdk");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(herd.workerPids()).contains(Long.parseLong(hello.body().substring(hello.body().lastIndexOf(' ') + 1)));
            assertThat(hello.body()).startsWith("hello jdk from ");
            HttpResponse<String> note = http.send(request(herd, "/notes").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"herd\",\"length\":0}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(note.statusCode()).isEqualTo(200);
            assertThat(note.body()).isEqualTo("{\"text\":\"HERD\",\"length\":4}");
            assertThat(herd.get("/missing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void simpleFileServerServesAFolder(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("notes.txt"), "plain text from a folder\n");
        Files.createDirectories(root.resolve("sub"));
        byte[] big = new byte[1_500_000];
        new Random(3).nextBytes(big);
        Files.write(root.resolve("sub/big.bin"), big);
        try (HerdProcess herd = HerdProcess.start(Map.of("FILE_ROOT", root.toString()), HerdProcess.HOME,
                app("FileServerMain", "-w", "1", "-k", "virtual"))) {
            HttpResponse<String> notes = herd.get("/notes.txt");
            assertThat(notes.statusCode()).isEqualTo(200);
            assertThat(notes.body()).isEqualTo("plain text from a folder\n");
            assertThat(notes.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            HttpResponse<byte[]> bin = http.send(request(herd, "/sub/big.bin").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bin.body()).isEqualTo(big);
            HttpResponse<String> listing = herd.get("/");
            assertThat(listing.body()).contains("notes.txt").contains("sub/");
            assertThat(herd.get("/nope.txt").statusCode()).isEqualTo(404);
            HttpResponse<String> head = http.send(request(herd, "/notes.txt").method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            // SimpleFileServer's own request log, through java.util.logging into herd's log.
            herd.awaitLog(Pattern.compile("GET /notes\\.txt HTTP/1\\.1\" 200"), Duration.ofSeconds(5));
        }
    }

    @Test
    void reloadPicksUpARebuiltJar(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        Files.copy(Path.of(JAR), jar);
        // The jar's manifest names its libraries in lib/ beside it.
        Files.createSymbolicLink(dir.resolve("lib"), Path.of(JAR).resolveSibling("lib"));
        try (HerdProcess herd = HerdProcess.start(Map.of(), dir, "-w", "1", "--reload", "--app-jar", "app.jar",
                "--main", "dev.herd.it.jdk.PlainMain")) {
            long first = herd.workerPids().getFirst();
            assertThat(herd.get("/").body()).startsWith("pid " + first);
            Path rebuilt = dir.resolve("app.jar.tmp");
            Files.copy(Path.of(JAR), rebuilt);
            Files.move(rebuilt, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            herd.awaitLog(Pattern.compile("--reload: .*app\\.jar changed; reloading"), Duration.ofSeconds(10));
            herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), Duration.ofSeconds(30));
            herd.awaitLog(Pattern.compile("pid=" + first + " exited with status 0"), Duration.ofSeconds(20));
            assertThat(herd.get("/").body()).doesNotStartWith("pid " + first);
        }
    }

    @Test
    void mistakesAreOneLineAndExit2OrABootFailure(@TempDir Path dir) throws Exception {
        HerdProcess.CtlResult async = HerdProcess.herd(Map.of(), HerdProcess.HOME,
                prepend(app("PlainMain", "-k", "async", "-b", "127.0.0.1:0"), "serve"));
        assertThat(async.status()).isEqualTo(2);
        assertThat(async.output().strip()).startsWith("herd serve: --main apps run under --worker-class sync, threads or virtual, not async");
        HerdProcess.CtlResult missing = HerdProcess.herd(Map.of(), HerdProcess.HOME,
                prepend(app("NoSuchMain", "-b", "127.0.0.1:0"), "serve"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.output().strip()).isEqualTo("herd serve: main class dev.herd.it.jdk.NoSuchMain not found in " + JAR);
        // The file server without its folder: main throws; the master stops after the one boot.
        try (HerdProcess herd = HerdProcess.launch(app("FileServerMain", "-w", "1"))) {
            assertThat(herd.awaitExit(Duration.ofSeconds(60))).isEqualTo(3);
            assertThat(herd.log()).contains("cannot load the app: dev.herd.it.jdk.FileServerMain.main failed");
        }
    }

    private static String[] prepend(String[] args, String first) {
        String[] all = new String[args.length + 1];
        all[0] = first;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}
