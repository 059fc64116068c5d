package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Zero-downtime reload: a new generation boots, then the old one drains; no request fails. */
class ReloadIT {

    @Test
    void tenReloadsInARowUnderKeepAliveLoadFailNoRequest() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "-k", "threads", "--graceful-timeout", "10");
             KeepAliveLoad load = new KeepAliveLoad(herd.port(), "/whoami", 8)) {
            Thread.sleep(500);
            long start = System.nanoTime();
            for (int i = 1; i <= 10; i++) {
                HerdProcess.CtlResult reload = herd.ctl("reload");
                assertThat(reload.status()).as(reload.output()).isZero();
                assertThat(reload.output()).contains("generation " + (i + 1) + " serves");
            }
            long reloadMillis = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(500);
            load.stop();
            System.out.printf("10 reloads under keep-alive load: %d requests ok, %d failed, %d connections,"
                    + " %d ms per reload%n", load.ok(), load.failed(), load.connections(), reloadMillis / 10);
            assertThat(load.failed()).as("failures: %s", load.failures()).isZero();
            assertThat(load.ok()).isGreaterThan(1000);
            // Every generation served: the last one too, and the clients reconnected along the way.
            assertThat(load.bodies().keySet()).anyMatch(body -> body.contains("\"generation\":11"));
            assertThat(load.connections()).isGreaterThan(8);
            assertThat(herd.get("/whoami").body()).contains("\"generation\":11");
            assertThat(herd.workerPids()).hasSize(2);
        }
    }

    @Test
    void hupReloadsAndAFailedBootKeepsTheOldGenerationServing(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path jar = HerdProcess.fixtureJar();
        Path file = dir.resolve("herd.toml");
        Files.writeString(file, "workers = 1\napp-jar = \"" + jar + "\"\napp = \"dev.herd.fixtures.HangApp\"\n");
        try (HerdProcess herd = HerdProcess.start(Map.of(), dir, "-k", "sync")) {
            long first = herd.workerPids().getFirst();
            assertThat(herd.get("/").body()).isEqualTo("pid " + first);

            herd.signal("HUP");
            herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), Duration.ofSeconds(30));

            Files.writeString(file, "workers = 1\napp-jar = \"" + jar + "\"\napp = \"dev.herd.fixtures.CrashOnBootApp\"\n");
            HerdProcess.CtlResult failed = herd.ctl("reload");
            assertThat(failed.status()).isEqualTo(1);
            assertThat(failed.output()).contains("reload failed, generation 2 keeps serving")
                    .contains("failed to boot");
            assertThat(herd.get("/").statusCode()).isEqualTo(200);
            assertThat(herd.ctl("status").output()).contains("generation 2");

            Files.writeString(file, "workers = \"nope\"\n");
            HerdProcess.CtlResult refused = herd.ctl("reload");
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.output()).contains("reload refused").contains("--workers").contains("herd.toml");
            assertThat(herd.get("/").statusCode()).isEqualTo(200);
        }
    }
}
