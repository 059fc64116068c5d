package dev.herd.master;

import dev.herd.admin.AdminBackend;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The admin listener's questions, answered on the master's thread through its event queue. */
final class MasterAdmin implements AdminBackend {

    private final Queue<MasterEvent> events;
    private final Master master;

    MasterAdmin(Queue<MasterEvent> events, Master master) {
        this.events = events;
        this.master = master;
    }

    @Override
    public CompletableFuture<String> metrics(boolean openMetrics) {
        return onMasterThread(() -> master.metricsText(openMetrics));
    }

    @Override
    public CompletableFuture<String> status() {
        return onMasterThread(() -> master.status().json());
    }

    @Override
    public CompletableFuture<String> live() {
        return onMasterThread(master::liveJson);
    }

    @Override
    public CompletableFuture<Health> health() {
        return onMasterThread(master::health);
    }

    private <T> CompletableFuture<T> onMasterThread(Supplier<T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        events.add(new MasterEvent.Call(() -> {
            try {
                answer.complete(question.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
                throw e;
            }
        }));
        return answer;
    }
}
