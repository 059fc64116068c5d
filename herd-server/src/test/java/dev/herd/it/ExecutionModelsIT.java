package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each execution model serves, and its concurrency is what the model promises, proved by
 * timing 20 concurrent {@code /io?ms=200} requests on one worker (not by reading config).
 */
class ExecutionModelsIT {

    private static final int REQUESTS = 20;
    private static final String WAIT = "/io?ms=200";

    @Test
    void syncRunsOneRequestAtATime() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "sync")) {
            assertWhoami(herd, "sync", "herd-sync-", false);
            Duration took = Load.concurrent(herd.port(), WAIT, REQUESTS);
            // 20 x 200 ms one after another: 4 s is the floor, whatever the machine.
            assertThat(took).isBetween(Duration.ofMillis(3900), Duration.ofSeconds(10));
        }
    }

    @Test
    void threadsRunAsManyAsThePool() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "threads", "--threads", "4")) {
            assertWhoami(herd, "threads", "herd-thread-", false);
            Duration took = Load.concurrent(herd.port(), WAIT, REQUESTS);
            // 5 waves of 4: 1 s at least, far from the 4 s of one thread and the 0.2 s of unbounded.
            assertThat(took).isBetween(Duration.ofMillis(950), Duration.ofMillis(2800));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "async"})
    void virtualAndAsyncRunAllAtOnce(String model) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--io-threads", "1")) {
            if (model.equals("virtual")) {
                assertWhoami(herd, model, "herd-virtual-", true);
                assertThat(herd.get("/whoami").body()).contains("\"carrier\":\"ForkJoinPool-");
            } else {
                assertWhoami(herd, model, "herd-loop-", false);
            }
            Load.concurrent(herd.port(), "/hello", REQUESTS); // warm up the connection path
            Duration took = Load.concurrent(herd.port(), WAIT, REQUESTS);
            // All 20 waits overlap: about 0.2 s; one event loop under async proves /io never blocks it.
            assertThat(took).isBetween(Duration.ofMillis(195), Duration.ofMillis(950));
        }
    }

    @Test
    void theLoopSchedulerRunsVirtualThreadsOnTheEventLoopAndTheyStillOverlap() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "virtual", "--virtual-scheduler", "loop",
                "--io-threads", "1", "--max-concurrency", "1", "--request-timeout", "1")) {
            assertWhoami(herd, "virtual", "herd-virtual-", true);
            assertThat(herd.get("/whoami").body()).contains("\"carrier\":\"herd-loop-");
            // A request past --request-timeout is interrupted where it parks: the one permit comes
            // back at once, so /hello does not wait for the 3 s the handler wanted.
            assertThat(herd.get("/io?ms=3000").statusCode()).isEqualTo(503);
            long helloStart = System.nanoTime();
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - helloStart) / 1_000_000).isLessThan(1000L);
        }
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "virtual", "--virtual-scheduler", "loop",
                "--io-threads", "1")) {
            Load.concurrent(herd.port(), "/hello", REQUESTS);
            Duration took = Load.concurrent(herd.port(), WAIT, REQUESTS);
            // One loop carries all 20 threads, and each gives it back while it waits.
            assertThat(took).isBetween(Duration.ofMillis(195), Duration.ofMillis(950));
        }
    }

    private static void assertWhoami(HerdProcess herd, String model, String threadPrefix, boolean virtual)
            throws Exception {
        HttpResponse<String> hello = herd.get("/hello");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello, World!");
        String whoami = herd.get("/whoami").body();
        assertThat(whoami)
                .contains("\"model\":\"" + model + "\"")
                .contains("\"thread\":\"" + threadPrefix)
                .contains("\"virtual\":" + virtual)
                .contains("\"pid\":" + herd.workerPids().getFirst())
                .contains("\"index\":1", "\"generation\":1");
    }
}
