package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear answer and loses nothing: malformed HTTP is a 400 and an app failure a
 * 500 with the worker still serving; bad flags and bad apps exit 2 with one line before any
 * worker starts; an app that cannot boot stops the master without a crash loop.
 */
class BadInputIT {

    @Test
    void malformedRequestGets400AndAppFailureGets500AndTheWorkerLives() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1")) {
            long worker = herd.workerPids().getFirst();
            assertThat(raw(herd.port(), "NOT A REQUEST\r\n\r\n")).startsWith("HTTP/1.1 400 ");
            assertThat(raw(herd.port(), "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ");
            assertThat(herd.get("/error").statusCode()).isEqualTo(500);
            herd.awaitLog(Pattern.compile("IllegalStateException: demo failure"), Duration.ofSeconds(5));
            assertThat(herd.get("/whoami").body()).contains("\"pid\":" + worker);
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }

    @Test
    void unknownFlagExits2WithOneLine() throws Exception {
        assertUsageError(new String[]{"--no-such-flag"}, "--no-such-flag");
    }

    @Test
    void badValueExits2NamingTheFlag() throws Exception {
        assertUsageError(new String[]{"--workers", "zero"}, "--workers");
        assertUsageError(new String[]{"-w", "0"}, "--workers");
        assertUsageError(new String[]{"-k", "fibers"}, "--worker-class");
        assertUsageError(new String[]{"--timeout", "-1"}, "--timeout");
    }

    @Test
    void missingOrWrongAppClassExits2BeforeAnyWorker() throws Exception {
        Path jar = HerdProcess.fixtureJar();
        assertUsageError(new String[]{"--app-jar", jar.toString(), "com.example.Missing"}, "not found");
        assertUsageError(new String[]{"--app-jar", jar.toString(), "dev.herd.fixtures.NotAnApp"}, "is not an app");
        assertUsageError(new String[]{"--app-jar", jar.toString(), "-k", "async", "dev.herd.fixtures.BlockingOnlyApp"},
                "AsyncHandler");
        assertUsageError(new String[]{"--app-jar", "/nonexistent/app.jar", "com.example.App"}, "--app-jar");
    }

    @Test
    void appThatCannotBootStopsTheMasterWithoutACrashLoop() throws Exception {
        Path jar = HerdProcess.fixtureJar();
        try (HerdProcess herd = HerdProcess.launch("-w", "2", "--app-jar", jar.toString(),
                "dev.herd.fixtures.CrashOnBootApp")) {
            int status = herd.awaitExit(Duration.ofSeconds(60));
            assertThat(status).isEqualTo(3);
            assertThat(herd.log()).contains("this app cannot start (fixture)").contains("failed to boot");
            // Each slot was tried once; nothing was respawned in a loop.
            assertThat(herd.countLines(Pattern.compile("spawned worker"))).isEqualTo(2);
        }
    }

    private static void assertUsageError(String[] args, String mention) throws Exception {
        try (HerdProcess herd = HerdProcess.launch(args)) {
            assertThat(herd.awaitExit(Duration.ofSeconds(30))).as(herd.log()).isEqualTo(2);
            Thread.sleep(100); // let the reader take the last line
            String log = herd.log().strip();
            assertThat(log.lines().count()).as(log).isEqualTo(1);
            assertThat(log).contains(mention);
            assertThat(log).doesNotContain("spawned");
        }
    }

    /** Sends raw bytes on a fresh connection and returns what the server answered until it closed. */
    private static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
