package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --aot-cache: the master makes the workers' JDK AOT cache by itself, and workers spawned after
 * that run with it: the JVM maps the file (seen in /proc/PID/maps), not only gets the flag. Speed
 * is for bench/boot.sh; this checks the behaviour.
 */
class AotCacheIT {

    private static final Pattern CACHE_READY = Pattern.compile("AOT cache (\\S+) ready after \\d+ ms");
    private static final Pattern WORKER_READY = Pattern.compile("worker 1 pid=(\\d+) ready");

    @Test
    void theMasterMakesTheCacheAndLaterWorkersMapIt(@TempDir Path dir) throws Exception {
        Path cacheDir = dir.resolve("aot");
        Path accessLog = dir.resolve("access.log");
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", "async", "--aot-cache", cacheDir.toString(),
                "--access-log", accessLog.toString())) {
            long first = whoamiPid(herd);
            assertThat(maps(first)).as("a worker spawned before the cache exists runs without it")
                    .doesNotContain(".aot");

            Path cache = Path.of(herd.awaitLog(CACHE_READY, Duration.ofSeconds(120)).group(1));
            assertThat(cache.getParent()).isEqualTo(cacheDir.toAbsolutePath());
            assertThat(cache).isRegularFile();
            assertThat(Files.readString(accessLog)).as("the training run's requests are not the user's")
                    .doesNotContain("herd-aot-training");
            try (Stream<Path> files = Files.list(cacheDir)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .as("the training run's partial file and log are gone").containsExactly(cache.getFileName()
                                .toString());
            }

            int from = herd.lineCount();
            HerdProcess.signal(first, "KILL");
            Matcher replaced = herd.awaitLog(WORKER_READY, from, Duration.ofSeconds(60));
            long second = Long.parseLong(replaced.group(1));
            herd.workerPids();
            assertThat(whoamiPid(herd)).isEqualTo(second);
            assertThat(commandLine(second)).contains("-XX:AOTCache=" + cache);
            assertThat(maps(second)).as("the JVM mapped the cache file").contains(cache.toString());
        }
    }

    @Test
    void aCacheThatCannotBeMadeLeavesWorkersServing(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        try (HerdProcess herd = HerdProcess.start("-w", "1", "--aot-cache", notADirectory.toString())) {
            herd.awaitLog(Pattern.compile("no AOT cache \\S+: .*; workers start without it"), Duration.ofSeconds(30));
            assertThat(herd.get("/hello").body()).isEqualTo("Hello, World!");
        }
    }

    private static long whoamiPid(HerdProcess herd) throws Exception {
        String body = herd.get("/whoami").body();
        return Long.parseLong(body.replaceAll(".*\"pid\":(\\d+).*", "$1"));
    }

    private static String maps(long pid) throws Exception {
        return Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
    }

    private static List<String> commandLine(long pid) throws Exception {
        return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
    }
}
