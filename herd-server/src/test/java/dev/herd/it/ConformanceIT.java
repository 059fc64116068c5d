package dev.herd.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * herd's own HTTP against the external corpus, in every execution model: every request a
 * server must refuse is refused with a 4xx (or 501/505), every valid one is served, and the
 * worker that took all 405 cases is still the one serving.
 */
class ConformanceIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sync", "threads", "virtual", "async"})
    void everyCaseRightAndTheWorkerLives(String model) throws Exception {
        ConformanceCorpus.assumePresent();
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model)) {
            long worker = herd.workerPids().getFirst();
            String figure = ConformanceCorpus.runAgainst(herd.port(), model);
            assertThat(figure).startsWith("reject 162/162, accept 115/115");
            assertThat(herd.workerPids()).containsExactly(worker);
        }
    }
}
