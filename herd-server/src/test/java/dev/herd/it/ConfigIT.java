package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** print-config and check-config, and the precedence defaults < file < environment < command line. */
class ConfigIT {

    @Test
    void printConfigShowsEachValueAndWhereItCameFrom(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("herd.toml"), """
                workers = 3
                threads = 16
                worker_class = "virtual"
                bind = ["127.0.0.1:9001", "127.0.0.1:9002"]
                timeout = 12.5
                """);
        HerdProcess.CtlResult result = HerdProcess.herd(Map.of("HERD_THREADS", "32", "WEB_CONCURRENCY", "7"), dir,
                "print-config", "--timeout", "9");
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output())
                .containsPattern("workers +?= 3 +# file") // WEB_CONCURRENCY only replaces the default
                .containsPattern("threads +?= 32 +# environment")
                .containsPattern("worker-class +?= \"virtual\" +# file")
                .containsPattern("bind +?= \\[\"127.0.0.1:9001\", \"127.0.0.1:9002\"] +# file")
                .containsPattern("timeout +?= 9 +# command line")
                .containsPattern("graceful-timeout +?= 30 +# default")
                .containsPattern("config +?= \".*herd.toml\"");
    }

    @Test
    void checkConfigReportsEveryProblemOnItsOwnLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("herd.toml"), "workers = 0\nbogus = 1\n");
        HerdProcess.CtlResult bad = HerdProcess.herd(Map.of("HERD_TIMEOUT", "soon"), dir,
                "check-config", "-k", "async", "--app-jar", HerdProcess.fixtureJar().toString(),
                "dev.herd.fixtures.BlockingOnlyApp");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.output().lines()).hasSize(3)
                .anyMatch(l -> l.contains("unknown setting 'bogus'"))
                .anyMatch(l -> l.contains("--workers: must be at least 1, got 0 (from") && l.contains("herd.toml"))
                .anyMatch(l -> l.contains("--timeout") && l.contains("$HERD_TIMEOUT"));

        Files.writeString(dir.resolve("herd.toml"), "workers = 2\n");
        HerdProcess.CtlResult appProblem = HerdProcess.herd(Map.of(), dir, "check-config", "-k", "async",
                "--app-jar", HerdProcess.fixtureJar().toString(), "dev.herd.fixtures.BlockingOnlyApp");
        assertThat(appProblem.status()).isEqualTo(2);
        assertThat(appProblem.output()).contains("AsyncHandler");

        HerdProcess.CtlResult good = HerdProcess.herd(Map.of(), dir, "check-config");
        assertThat(good.status()).as(good.output()).isZero();
        assertThat(good.output()).contains("configuration ok");
    }

    /** Every setting is in the help, verbatim: picocli once warned about the '%' in the access-log format. */
    @Test
    void serveHelpListsEverySettingWithoutWarnings(@TempDir Path dir) throws Exception {
        HerdProcess.CtlResult help = HerdProcess.herd(Map.of(), dir, "serve", "--help");
        assertThat(help.status()).as(help.output()).isZero();
        assertThat(help.output()).doesNotContain("WARN").doesNotContain("%%")
                .contains("--access-log-format", "--balance");
        // Lines are wrapped anywhere, even inside an atom.
        assertThat(help.output().replaceAll("\\s*\\n\\s*", "")).contains("Default: %(h)s %(l)s %(u)s");
    }

    @Test
    void settingsDocIsCurrent() throws Exception {
        String committed = Files.readString(HerdProcess.HOME.resolve("docs/settings.md"));
        assertThat(committed).as("docs/settings.md is stale: run ./build docs")
                .isEqualTo(dev.herd.config.SettingsDoc.markdown());
    }
}
