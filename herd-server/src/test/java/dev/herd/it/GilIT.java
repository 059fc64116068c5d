package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulated GIL ({@code HERD_DEMO_GIL=1}) takes effect in the worker: a process's threads
 * compute one at a time, yet their waits overlap. Compared with one request's own time on this
 * machine, so a slow or busy machine cannot make it pass or fail by itself.
 */
class GilIT {

    @Test
    void threadsComputeOneAtATimeButWaitTogether() throws Exception {
        try (HerdProcess herd = HerdProcess.start(Map.of("HERD_DEMO_GIL", "1"), HerdProcess.HOME,
                "-w", "1", "-k", "threads", "--threads", "4")) {
            for (int i = 0; i < 3; i++) {
                Load.concurrent(herd.port(), "/cpu?ms=50", 4); // warm up the JIT
            }
            Duration one = Duration.ofDays(1);
            for (int i = 0; i < 3; i++) {
                Duration took = Load.concurrent(herd.port(), "/cpu?ms=100", 1);
                one = took.compareTo(one) < 0 ? took : one;
            }
            Duration four = Load.concurrent(herd.port(), "/cpu?ms=100", 4);
            // Under the lock, four computations take four times one; with 2+ cores and no lock, about half that.
            assertThat(four.toNanos()).isGreaterThan((long) (one.toNanos() * 3.4));

            Duration waits = Load.concurrent(herd.port(), "/io?ms=300", 4);
            // Released around the wait: four 300 ms waits overlap instead of taking 1.2 s.
            assertThat(waits).isLessThan(Duration.ofMillis(900));
        }
    }
}
