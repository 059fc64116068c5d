package dev.herd.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that poison the process they run in stay inside it: one that allocates until
 * OutOfMemoryError takes down its own worker only (the JVM exits, as the default worker options
 * ask, rather than limp on with a heap in an unknown state), and one that spins for ever ends in
 * the request timeout while its worker goes on serving.
 */
class PoisonIT {

    @Test
    void outOfMemoryTakesDownItsOwnWorkerOnly() throws Exception {
        try (HerdProcess herd = HerdProcess.start("--app-jar", HerdProcess.fixtureJar().toString(), "-w", "2",
                "-k", "threads", "--threads", "4",
                "--worker-jvm-opts", "-XX:+UseSerialGC -Xmx64m -XX:+ExitOnOutOfMemoryError",
                "dev.herd.fixtures.PoisonApp")) {
            AtomicInteger okAfter = new AtomicInteger();
            AtomicLong mark = new AtomicLong();
            CompletableFuture<Load.Counts> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return Load.closedLoop(herd.port(), "/pid", 4, Duration.ofSeconds(6), okAfter, mark);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            int lines = herd.lineCount();
            mark.set(System.nanoTime());
            CompletableFuture<HttpResponse<String>> poison = CompletableFuture.supplyAsync(() -> {
                try {
                    return herd.get("/oom", Duration.ofSeconds(20));
                } catch (Exception e) {
                    return null; // the worker died under it: no answer is the expected outcome
                }
            });
            herd.awaitLog(Pattern.compile("worker \\d pid=\\d+ exited with status 3"), lines, Duration.ofSeconds(20));
            herd.awaitLog(Pattern.compile("worker \\d pid=\\d+ ready"), lines, Duration.ofSeconds(20));
            Load.Counts counts = load.get(60, TimeUnit.SECONDS);
            HttpResponse<String> answer = poison.get(30, TimeUnit.SECONDS);
            double share = counts.ok() * 100.0 / (counts.ok() + counts.failed());
            System.out.printf("OutOfMemoryError in a request: %d other requests ok, %d failed (%.2f %% ok), %d ok after it%n",
                    counts.ok(), counts.failed(), share, okAfter.get());
            assertThat(answer == null || answer.statusCode() >= 500).as("the poisoned request got no success").isTrue();
            assertThat(share).isGreaterThanOrEqualTo(99.0);
            assertThat(okAfter.get()).isGreaterThan(0);
            assertThat(herd.workerPids()).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threads", "virtual"})
    void spinningForeverEndsInTheRequestTimeoutAndTheWorkerServesOn(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start("--app-jar", HerdProcess.fixtureJar().toString(), "-w", "1",
                "-k", model, "--threads", "4", "--request-timeout", "1",
                // The spinning thread never ends: stopping waits for it this long, then kills.
                "--graceful-timeout", "2", "dev.herd.fixtures.PoisonApp")) {
            String worker = herd.get("/pid").body();
            long started = System.nanoTime();
            HttpResponse<String> spin = herd.get("/spin", Duration.ofSeconds(10));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("a request that spins for ever (%s): %d after %d ms%n", model, spin.statusCode(), waited);
            assertThat(spin.statusCode()).isEqualTo(503);
            assertThat(waited).isBetween(900L, 3000L);
            for (int i = 0; i < 20; i++) {
                assertThat(herd.get("/pid").body()).isEqualTo(worker);
            }
        }
    }
}
