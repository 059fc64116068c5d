package dev.herd.it;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The master's JFR events: a recording of its life shows spawns, readies, exits with causes, and reloads. */
class MasterRecordingIT {

    @Test
    void aRecordingOfTheMasterShowsWorkersComingAndGoing(@TempDir Path dir) throws Exception {
        Path recording = dir.resolve("master.jfr");
        long victim;
        try (HerdProcess herd = HerdProcess.start(Map.of("HERD_MASTER_JAVA_OPTS",
                        "-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true"), HerdProcess.HOME,
                "-w", "1")) {
            victim = herd.workerPids().getFirst();
            HerdProcess.signal(victim, "KILL");
            await().atMost(Duration.ofSeconds(30)).until(() -> herd.countLines(Pattern.compile("ready \\(generation 1")) == 2);
            int lines = herd.lineCount();
            herd.signal("HUP");
            herd.awaitLog(Pattern.compile("reload done: generation 2 serves"), lines, Duration.ofSeconds(60));
            herd.signal("TERM");
            assertThat(herd.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.herd."))
                // A recording keeps events by thread buffer and chunk: in time order only once sorted.
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime)).toList();
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.herd.WorkerSpawned")).hasSize(3);
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.herd.WorkerReady")).hasSize(3)
                .allSatisfy(e -> assertThat(e.getDuration("boot")).isPositive());
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.herd.WorkerExited"))
                .extracting(e -> e.getString("cause"))
                .containsExactly("crash", "reload", "");
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.herd.WorkerExited")
                        && e.getString("cause").equals("crash"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getLong("pid")).isEqualTo(victim);
                    assertThat(e.getInt("status")).isEqualTo(137);
                });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.herd.Reload"))
                .singleElement().satisfies(e -> assertThat(e.getInt("generation")).isEqualTo(2));
    }
}
