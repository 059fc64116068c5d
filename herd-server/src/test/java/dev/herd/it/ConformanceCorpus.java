package dev.herd.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The external HTTP/1.1 corpus ({@code shared/conformance} beside the clone: 405 cases from
 * gunicorn's, llhttp's, Go's, Puma's and h11's test suites and the HTTP Garden, each classed by
 * RFC 9110/9112) and its runner, which sends each case on a fresh connection and checks after
 * each that the same worker still answers. It is other projects' data, so it is used where it
 * lies and never copied here; a clone without it skips these tests, saying why.
 */
final class ConformanceCorpus {

    private ConformanceCorpus() {
    }

    static Path location() {
        return Path.of(System.getProperty("herd.home")).resolve("../shared/conformance").toAbsolutePath().normalize();
    }

    /** Skips the calling test, with the reason, when the corpus is not beside this clone. */
    static void assumePresent() {
        assumeTrue(Files.isRegularFile(location().resolve("run.py")) && Files.isRegularFile(location().resolve("cases.jsonl")),
                "the external HTTP corpus is not at " + location() + ": its conformance run is skipped");
    }

    /**
     * Runs every case against the server on {@code port} and asserts that every accept and
     * reject case passed, no either case broke a rule, and the worker whose pid
     * {@code /whoami} gives was never replaced (the runner exits 0 only then).
     *
     * @return the runner's last line, the figure ("reject 162/162, accept 115/115, ...")
     */
    static String runAgainst(int port, String label) throws IOException, InterruptedException {
        Path out = Files.createTempFile("herd-conformance-", ".txt");
        try {
            Process runner = new ProcessBuilder("python3", location().resolve("run.py").toString(),
                    String.valueOf(port), "--pid-path", "/whoami", "--budget", "200")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended = runner.waitFor(240, TimeUnit.SECONDS);
            if (!ended) {
                runner.destroyForcibly();
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            String report = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            assertThat(ended).as("the corpus run ended within 240 s:\n" + report).isTrue();
            assertThat(runner.exitValue()).as(label + ": every case as RFC 9110/9112 require:\n" + report).isZero();
            String figure = lines.getLast();
            System.out.println("conformance " + label + ": " + figure);
            return figure;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
