package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers are replaced after --max-requests or when their heap stays too big, failing no request. */
class RecycleIT {

    @Test
    void maxRequestsReplacesWorkersWithoutFailingARequest() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "threads", "--max-requests", "300",
                "--max-requests-jitter", "50");
             KeepAliveLoad load = new KeepAliveLoad(herd.port(), "/whoami", 4)) {
            herd.awaitLog(Pattern.compile("asks to be replaced \\(served \\d+ requests, limit (3[0-4]\\d|350)\\)"),
                    Duration.ofSeconds(30));
            herd.awaitLog(Pattern.compile("worker 1 pid=\\d+ exited with status 0"), Duration.ofSeconds(30));
            Thread.sleep(1000);
            load.stop();
            long pids = load.bodies().keySet().stream().map(b -> b.replaceAll(".*\"pid\":(\\d+).*", "$1")).distinct().count();
            System.out.printf("max-requests recycling under keep-alive load: %d ok, %d failed, %d worker pids%n",
                    load.ok(), load.failed(), pids);
            assertThat(load.failed()).as("failures: %s", load.failures()).isZero();
            assertThat(pids).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void heapAboveTheLimitAfterFullCollectionsReplacesTheWorker() throws Exception {
        Path jar = HerdProcess.fixtureJar();
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--max-heap-after-gc", "40",
                "--worker-jvm-opts", "-XX:+UseSerialGC -Xmx256m", "--app-jar", jar.toString(),
                "dev.herd.fixtures.LeakApp")) {
            String first = herd.get("/").body();
            assertThat(herd.get("/leak?mb=30").statusCode()).isEqualTo(200);
            assertThat(herd.get("/leak?mb=1").statusCode()).isEqualTo(200);
            Thread.sleep(1500);
            assertThat(herd.log()).doesNotContain("asks to be replaced");
            assertThat(herd.get("/leak?mb=30").statusCode()).isEqualTo(200);
            assertThat(herd.get("/leak?mb=1").statusCode()).isEqualTo(200);
            herd.awaitLog(Pattern.compile("pid=" + first + " asks to be replaced \\(live heap \\d+ MiB"),
                    Duration.ofSeconds(10));
            herd.awaitLog(Pattern.compile("pid=" + first + " exited with status 0"), Duration.ofSeconds(30));
            assertThat(herd.get("/").body()).isNotEqualTo(first);
        }
    }
}
