package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The master keeps workers alive: replaces the dead and the hung, and never leaves orphans. */
class SupervisionIT {

    @Test
    void killedWorkerIsReplacedWhileTheOtherKeepsServing() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "-k", "threads", "--threads", "4")) {
            List<Long> before = herd.workerPids();
            assertThat(before).hasSize(2);
            long victim = before.getFirst();
            AtomicInteger okAfterKill = new AtomicInteger();
            AtomicLong killedAt = new AtomicLong();
            CompletableFuture<Load.Counts> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return Load.closedLoop(herd.port(), "/hello", 4, Duration.ofSeconds(4), okAfterKill, killedAt);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            int linesBefore = herd.lineCount();
            HerdProcess.signal(victim, "KILL");
            killedAt.set(System.nanoTime());
            Load.Counts counts = load.get(30, TimeUnit.SECONDS);
            System.out.printf("kill -9 of a worker under load: %d ok, %d failed, %d ok after the kill%n",
                    counts.ok(), counts.failed(), okAfterKill.get());

            herd.awaitLog(Pattern.compile("worker \\d pid=" + victim + " exited with status 137"), linesBefore,
                    Duration.ofSeconds(5));
            herd.awaitLog(Pattern.compile("worker \\d pid=\\d+ ready"), linesBefore, Duration.ofSeconds(15));
            await().atMost(Duration.ofSeconds(5)).until(() -> herd.workerPids().size() == 2);
            assertThat(herd.workerPids()).doesNotContain(victim);
            // Requests kept succeeding through the surviving worker; at most the few in flight on the
            // killed one failed (each client had one request outstanding).
            assertThat(okAfterKill.get()).isGreaterThan(20);
            assertThat(counts.failed()).isLessThanOrEqualTo(4);
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
    }

    /** Under sync the stuck thread is the handler thread; under async it is the event loop itself. */
    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void hungWorkerIsKilledAfterTimeoutWithAThreadDump(String model) throws Exception {
        Path jar = HerdProcess.fixtureJar();
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--timeout", "2",
                "--app-jar", jar.toString(), "dev.herd.fixtures.HangApp")) {
            long hung = herd.workerPids().getFirst();
            int linesBefore = herd.lineCount();
            CompletableFuture.runAsync(() -> {
                try {
                    herd.get("/hang", Duration.ofSeconds(20));
                } catch (Exception expected) {
                    // The worker dies under this request.
                }
            });
            long start = System.nanoTime();
            herd.awaitLog(Pattern.compile("worker 1 pid=" + hung + " timed out: no heartbeat"), linesBefore,
                    Duration.ofSeconds(10));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isGreaterThanOrEqualTo(1500);
            // Sent while the hung worker still lives (its thread dump comes first): it must not
            // take the connection, which waits in the socket's queue for the replacement.
            Thread.sleep(200);
            HttpResponse<String> meanwhile = herd.get("/hello", Duration.ofSeconds(20));
            assertThat(meanwhile.statusCode()).isEqualTo(200);
            herd.awaitLog(Pattern.compile("Full thread dump"), linesBefore, Duration.ofSeconds(5));
            herd.awaitLog(Pattern.compile("worker 1 pid=\\d+ ready"), linesBefore, Duration.ofSeconds(20));
            HttpResponse<String> after = herd.get("/hello");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).doesNotContain(Long.toString(hung));
        }
    }

    @Test
    void killedMasterLeavesNoWorkerBehind() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2")) {
            List<Long> workers = herd.workerPids();
            herd.signal("KILL");
            herd.awaitExit(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    workers.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        }
    }
}
