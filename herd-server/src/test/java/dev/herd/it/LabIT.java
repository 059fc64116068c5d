package dev.herd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of {@code herd lab} and {@code herd tune} on the smallest runs: the structure of
 * their reports (every form and placement, positive figures, parseable JSON, an HTML page with
 * its charts) and that no server they started is left behind. Real numbers are not asserted.
 */
class LabIT {

    private static final List<String> FORMS = List.of("1x1", "1x2", "2x1", "2x2", "virtual", "async");

    record Run(int status, String stdout, String stderr) {
    }

    static Run herd(Path directory, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HerdProcess.HOME.resolve("herd").toString()));
        command.addAll(List.of(args));
        Path out = directory.resolve("stdout");
        Path err = directory.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HERD_NO_BUILD", "1");
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("herd " + String.join(" ", args) + " ran past " + timeoutSeconds + " s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void labMeasuresEveryFormOnBothPlacementsAndReportsThem(@TempDir Path directory) throws Exception {
        Path html = directory.resolve("report.html");
        Run run = herd(directory, 240, "lab", "--quick", "--warmup", "0.2", "--duration", "0.4", "-n", "2", "-m", "2",
                "-c", "8", "--workloads", "cpu,io", "--cpu-ms", "1", "--io-ms", "5", "--json", "--html",
                html.toString());
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("left").contains("done in");

        JsonNode report = new ObjectMapper().readTree(run.stdout());
        JsonNode rows = report.get("measurements");
        assertThat(rows).hasSize(FORMS.size() * 2 * 2);
        Set<String> cells = new HashSet<>();
        Set<Long> pids = new HashSet<>();
        for (JsonNode row : rows) {
            cells.add(row.get("form").asText() + "/" + row.get("cores").asText() + "/" + row.get("workload").asText());
            assertThat(row.get("throughput").asDouble()).as(row.toString()).isPositive();
            assertThat(row.get("p50Millis").asDouble()).isPositive();
            assertThat(row.get("p99Millis").asDouble()).isGreaterThanOrEqualTo(row.get("p50Millis").asDouble());
            assertThat(row.get("speedup").asDouble()).isPositive();
            assertThat(row.get("cpuCores").asDouble()).isPositive();
            assertThat(row.get("errors").asLong()).isZero();
            assertThat(row.get("processes")).hasSize(row.get("workers").asInt() + 1);
            int held = 0;
            for (JsonNode process : row.get("processes")) {
                held += process.get("connections").asInt();
            }
            // Every connection of the load is with some worker (none with the master): 8 of 8.
            assertThat(held).as(row.toString()).isEqualTo(8);
            assertThat(row.get("processes").get(0).get("connections").asInt()).isZero();
            for (JsonNode process : row.get("processes")) {
                assertThat(process.get("threads").asInt()).isPositive();
                assertThat(process.get("rssMiB").asDouble()).isPositive();
                assertThat(process.get("pssMiB").asDouble()).isPositive();
                assertThat(process.get("voluntarySwitches").asLong()).isNotNegative();
                pids.add(process.get("pid").asLong());
            }
        }
        for (String form : FORMS) {
            for (String cores : List.of("one", "all")) {
                for (String workload : List.of("cpu", "io")) {
                    assertThat(cells).contains(form + "/" + cores + "/" + workload);
                }
            }
        }
        JsonNode verdicts = report.get("verdicts");
        assertThat(verdicts).isNotEmpty();
        for (JsonNode verdict : verdicts) {
            assertThat(verdict.get("outcome").asText()).isIn("HOLDS", "DOES_NOT_HOLD");
        }

        String page = Files.readString(html);
        assertThat(page).contains("<svg", "id=\"chart-cpu\"", "id=\"chart-io\"", "<rect");
        assertThat(page).doesNotContain("<script", "<link", "src=\"http");
        for (String form : FORMS) {
            assertThat(page).contains(">" + form + "</text>");
        }

        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d of the lab is still running", pid).isFalse());
    }

    @Test
    void labTextTableShowsTheSeedsShapeAndVerdicts(@TempDir Path directory) throws Exception {
        Run run = herd(directory, 120, "lab", "--quick", "--warmup", "0.2", "--duration", "0.3", "-n", "2", "-m", "2",
                "-c", "4", "--workloads", "io", "--cores", "one", "--gil");
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("form", "cores", "seed says", "req/s", "p99.9 ms", "PSS MiB",
                "emulated GIL", "I/O-bound", "1 core, I/O-bound: threads give concurrency");
        for (String form : FORMS) {
            assertThat(run.stdout()).containsPattern("(?m)^" + form + " +1 ");
        }
        // Claims about rows this run did not measure say so rather than guess.
        assertThat(run.stdout()).contains("not measured");
    }

    @Test
    void tuneRanksEveryCandidateAndRecommendsOne(@TempDir Path directory) throws Exception {
        Run run = herd(directory, 180, "tune", "--path", "/cpu?ms=1", "--quick", "--warmup", "0.3", "--duration",
                "0.5", "-c", "8", "--json");
        assertThat(run.status()).as(run.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.stdout());
        JsonNode ranked = report.get("ranked");
        assertThat(ranked).hasSize(8);
        for (JsonNode result : ranked) {
            assertThat(result.get("failure").isNull()).as(result.toString()).isTrue();
            assertThat(result.get("throughput").asDouble()).isPositive();
            assertThat(result.get("pssMiB").asDouble()).isPositive();
        }
        assertThat(report.get("recommended").get("candidate")).isEqualTo(ranked.get(0).get("candidate"));
        assertThat(report.get("recommendation").asText()).contains("req/s", "p99", "MiB");
    }

    @Test
    void badFlagsExit2WithOneLine(@TempDir Path directory) throws Exception {
        for (String[] args : new String[][] {{"lab", "--mix", "3"}, {"lab", "--no-such-flag"},
            {"lab", "--workloads", "disk"}, {"tune"}, {"tune", "--path", "cpu"}, {"lab", "load", "ftp://x/"}}) {
            Run run = herd(directory, 60, args);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.stderr().strip().lines()).as(run.stderr()).hasSize(1);
            assertThat(run.stdout()).isEmpty();
        }
    }
}
