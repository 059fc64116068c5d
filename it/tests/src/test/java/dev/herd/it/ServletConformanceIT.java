package dev.herd.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servlet workers (Jetty's HTTP parser, with herd's rules added) against the external corpus,
 * in every model they run: the same verdicts as herd's own HTTP, and the same worker serving
 * after all 405 cases.
 */
class ServletConformanceIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "threads", "virtual"})
    void everyCaseRightAndTheWorkerLives(String model) throws Exception {
        ConformanceCorpus.assumePresent();
        try (HerdProcess herd = HerdProcess.start(ServletApps.hello("-w", "1", "-k", model))) {
            long worker = herd.workerPids().getFirst();
            String figure = ConformanceCorpus.runAgainst(herd.port(), "servlet " + model);
            assertThat(figure).startsWith("reject 162/162, accept 115/115");
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }
}
