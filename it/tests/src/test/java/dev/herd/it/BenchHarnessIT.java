package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark harness cannot rot: {@code bench/peers.sh --smoke} starts every system it
 * compares (herd in each model, Netty, Vert.x, Helidon, Gunicorn, Uvicorn; herd's servlet
 * workers, standalone Jetty and Tomcat, a Spring MVC WAR on both), checks one answer from each
 * endpoint, and stops it, with nothing left running. Nothing is timed here. It lives with the app
 * tests because it needs everything built: herd-servlet and the Spring WAR of it/apps.
 */
class BenchHarnessIT {

    @Test
    void theHarnessStartsChecksAndStopsEverySystem() throws Exception {
        List<String> systems = run("--list").lines().toList();
        assertThat(systems).contains("herd async, 1 worker", "Netty, 1 event loop", "Vert.x, 1 event loop",
                "Helidon, 1 carrier", "Gunicorn sync, 1 worker", "Gunicorn gthread, 1x8", "Uvicorn, 1 worker",
                "herd servlet, 1x8", "Jetty servlet, 8 threads", "Tomcat servlet, 8 threads",
                "herd Spring MVC WAR, 1x8", "Jetty Spring MVC WAR, 8 threads");

        String output = run("--smoke");
        // The harness's own diagnostics (building the peers, ...) go to stderr; the systems to stdout.
        for (String system : systems) {
            assertThat(output).as(output).contains("smoke ok: " + system + "\n");
        }
        assertThat(output).doesNotContain("FAILED");
    }

    /** Runs the harness; returns its standard output (its diagnostics, on standard error, go into failures). */
    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HerdProcess.HOME.resolve("bench/peers.sh").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("herd-bench-smoke", ".out");
        Path err = Files.createTempFile("herd-bench-smoke", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("HERD_NO_BUILD", "1");
            Process process = builder.start();
            // Bounded: the harness stops what it started even when it is killed between systems.
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("bench/peers.sh " + String.join(" ", args) + " did not finish:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(text + Files.readString(err, StandardCharsets.UTF_8)).isZero();
            return text;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
