package dev.herd.exec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class LongLivedWorkTest {

    /** A pool whose tasks run only when the test says so: its threads are all busy until then. */
    private final List<Runnable> queued = new ArrayList<>();

    @Test
    void aProbePassesThroughTheThreadsUnlessAllAreHeldByStreams() {
        LongLivedWork work = new LongLivedWork(2);
        CompletableFuture<Void> first = work.probe(queued::add);
        assertThat(first).isNotDone(); // waits for a free thread, as before

        work.begin();
        assertThat(first).as("one thread of two still serves plain requests").isNotDone();
        work.begin();
        assertThat(first).as("every thread holds a stream: not hung").isDone();
        assertThat(work.probe(queued::add)).isDone();

        work.end();
        CompletableFuture<Void> later = work.probe(queued::add);
        assertThat(later).isNotDone();
        queued.forEach(Runnable::run);
        assertThat(later).isDone();
        assertThat(work.onlyThread()).isFalse();
        assertThat(new LongLivedWork(1).onlyThread()).isTrue();
    }
}
