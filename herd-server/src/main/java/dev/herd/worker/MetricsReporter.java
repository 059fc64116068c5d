package dev.herd.worker;

import dev.herd.engine.Engine;
import dev.herd.ipc.ControlClient;
import dev.herd.ipc.Message;
import dev.herd.metrics.AppMetrics;
import dev.herd.metrics.Catalog;
import dev.herd.metrics.JvmMetrics;
import dev.herd.metrics.MetricsReport;
import dev.herd.metrics.Sample;
import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the master this worker's metrics every second, on the control loop: the engine's HTTP
 * metrics, the JVM's, the app's own ({@code dev.herd.api.metrics}), and the load now. Not tied to the heartbeat, which stops when the app's
 * threads are stuck: a stuck worker's memory and threads are what an operator wants to see.
 */
final class MetricsReporter {

    static final long INTERVAL_MILLIS = 1000;

    private final Engine engine;
    private final ControlClient control;
    private final JvmMetrics jvm = new JvmMetrics();
    private final AppMetrics app = new AppMetrics();
    private final EventLoopGroup loop;
    private final ScheduledFuture<?> schedule;

    MetricsReporter(Engine engine, ControlClient control, EventLoopGroup loop) {
        this.engine = engine;
        this.control = control;
        this.loop = loop;
        this.schedule = loop.scheduleAtFixedRate(this::report, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The last report, with everything counted until now; the periodic ones stop. */
    void finish() throws InterruptedException {
        schedule.cancel(false);
        loop.submit(this::report).await(1, TimeUnit.SECONDS);
    }

    private void report() {
        List<Sample> samples = new ArrayList<>();
        engine.httpMetrics().collect(samples);
        samples.add(Sample.gauge(Catalog.ACTIVE_REQUESTS, false, List.of(), engine.inFlight()));
        samples.add(Sample.gauge(Catalog.OPEN_CONNECTIONS, false, List.of(), engine.connections()));
        jvm.collect(samples, engine.inFlight());
        app.collect(samples);
        control.send(new Message.Metrics(MetricsReport.encode(samples)));
    }
}
