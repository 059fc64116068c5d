package dev.herd.worker;

import dev.herd.config.BindAddress;
import dev.herd.engine.Engine;
import dev.herd.ipc.HandoffClient;
import dev.herd.ipc.Message;
import io.netty.channel.EventLoopGroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's side of {@code --balance least-busy} (and of {@code reuseport}, whose orphaned
 * slots the master serves the same way): one handoff connection per listener, whose descriptors
 * become connections of this worker's engine, and the load reports the master balances by.
 */
final class Handoffs {

    /** How often the load is looked at; it is sent only when it changed. */
    private static final long REPORT_MILLIS = 5;

    private final List<HandoffClient> clients;
    private final AtomicLong received;
    private final ScheduledFuture<?> reporter;
    // Confined to the control event loop, where the reporter runs.
    private Message.Load lastReport;

    private Handoffs(List<HandoffClient> clients, AtomicLong received, EventLoopGroup controlLoop, Engine engine) {
        this.clients = clients;
        this.received = received;
        this.reporter = controlLoop.scheduleAtFixedRate(() -> report(engine), 0, REPORT_MILLIS, TimeUnit.MILLISECONDS);
    }

    static Handoffs open(EventLoopGroup controlLoop, Path controlSocket, long pid, List<BindAddress> addresses,
                         Engine engine) throws InterruptedException {
        AtomicLong received = new AtomicLong();
        EventLoopGroup loops = engine.handoffLoops() == null ? controlLoop : engine.handoffLoops();
        List<HandoffClient> clients = new ArrayList<>();
        for (int listener = 0; listener < addresses.size(); listener++) {
            BindAddress address = addresses.get(listener);
            // On the engine's own loops if it has them: each connection is then served on the loop
            // that received it.
            clients.add(HandoffClient.connect(loops, controlSocket, pid, listener, fd -> {
                engine.adopt(fd, address);
                received.incrementAndGet();
            }));
        }
        return new Handoffs(clients, received, controlLoop, engine);
    }

    private void report(Engine engine) {
        Message.Load load = new Message.Load(engine.connections(), engine.inFlight(), received.get());
        if (!load.equals(lastReport)) {
            lastReport = load;
            clients.getFirst().send(load);
        }
    }

    /**
     * Waits until the master has closed every handoff connection, which it does once it sends
     * this worker nothing more: connections still on their way are adopted before this returns.
     */
    boolean awaitClosed(Duration grace) throws InterruptedException {
        CompletableFuture<?>[] all = clients.stream().map(HandoffClient::closed).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    void close() {
        reporter.cancel(false);
        clients.forEach(HandoffClient::close);
    }
}
