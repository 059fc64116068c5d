package dev.herd.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** --request-timeout's hold on a blocking request: interrupt it while it runs, skip it while queued, nothing later. */
class InterruptibleTaskTest {

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void cancelInterruptsTheThreadRunningTheRequest() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        InterruptibleTask task = new InterruptibleTask(() -> {
            running.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        pool.execute(task);
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        task.cancel();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancelledWhileQueuedNeverRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> awaitQuietly(release));
        AtomicBoolean ran = new AtomicBoolean();
        InterruptibleTask queued = new InterruptibleTask(() -> ran.set(true));
        pool.execute(queued);
        queued.cancel();
        release.countDown();
        pool.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertThat(ran).isFalse();
    }

    @Test
    void cancelAfterTheRequestEndedDoesNotTouchTheThreadsNextRequest() throws Exception {
        InterruptibleTask done = new InterruptibleTask(() -> { });
        pool.submit(done).get(5, TimeUnit.SECONDS);
        CountDownLatch nextRunning = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean nextInterrupted = new AtomicBoolean();
        pool.execute(new InterruptibleTask(() -> {
            nextRunning.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                nextInterrupted.set(true);
            }
        }));
        assertThat(nextRunning.await(5, TimeUnit.SECONDS)).isTrue();
        done.cancel();
        Thread.sleep(100);
        finish.countDown();
        pool.submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertThat(nextInterrupted).isFalse();
    }

    @Test
    void aLateInterruptIsClearedBeforeTheThreadMovesOn() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        // The app ignores interrupts; the interrupt must not survive into the next task on this thread.
        InterruptibleTask stubborn = new InterruptibleTask(() -> {
            running.countDown();
            awaitQuietly(cancelled);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        });
        pool.execute(stubborn);
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        stubborn.cancel();
        cancelled.countDown();
        boolean nextSawInterrupt = pool.submit(() -> Thread.currentThread().isInterrupted()).get(5, TimeUnit.SECONDS);
        assertThat(nextSawInterrupt).isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException ignored) {
                // keep waiting: this stands for an app that ignores interrupts
            }
        }
    }
}
