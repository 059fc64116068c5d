package dev.herd.http;

import dev.herd.api.Response;
import dev.herd.app.AppInstance;
import dev.herd.app.AppLoader;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.config.WorkerClass;
import dev.herd.exec.ExecutionModel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * herd's hot path, one request at a time: the bytes of {@code GET /hello} go into the production
 * pipeline ({@link HttpChannelInitializer}: decoder, aggregator, the request handler), the
 * request is dispatched to an execution model, which runs the demo app on its own thread (or
 * inline under {@code async}), the outcome comes back to the connection's thread, and the
 * response's bytes come out. The socket is an {@link EmbeddedChannel}, so the figure is herd's
 * CPU per request, without the kernel.
 *
 * <p>The connection's thread is the benchmark thread: a model's thread hands the outcome over
 * (as it hands it to the event loop in a worker), and the benchmark thread writes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"})
public class HotPathBenchmark {

    @Param({"sync", "threads", "virtual", "async"})
    public String model;

    /** {@code --metrics}: whether each request is recorded (durations, sizes, queue time). */
    @Param({"on", "off"})
    public String metrics;

    private ExecutionModel executionModel;
    private EmbeddedChannel channel;
    private ByteBuf request;
    /** The outcome of the request in flight, handed from the model's thread to the benchmark thread. */
    private volatile CompletableFuture<Runnable> handoff;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Config config = Config.defaults().with(Settings.WORKER_CLASS, WorkerClass.valueOf(model.toUpperCase()));
        AppInstance app = AppLoader.load(HotPathBenchmark.class.getClassLoader(), AppLoader.DEMO_APP);
        executionModel = ExecutionModel.create(config, app);
        RequestDispatcher dispatcher = (req, loop, sink) -> executionModel.dispatch(req, loop, new ResponseSink() {
            @Override
            public boolean started() {
                return sink.started();
            }

            @Override
            public void complete(Response response) {
                handoff.complete(() -> sink.complete(response));
            }

            @Override
            public void fail(Throwable cause) {
                handoff.complete(() -> sink.fail(cause));
            }

            // /hello answers with bytes: these are never called here, and pass through as they are.
            @Override
            public dev.herd.api.BodyOutput stream(Response head) {
                return sink.stream(head);
            }

            @Override
            public dev.herd.api.EventStream events(Response head) {
                return sink.events(head);
            }

            @Override
            public void cut(Throwable cause) {
                sink.cut(cause);
            }

            @Override
            public dev.herd.http.ws.WebSocketConnection upgrade(Response head, dev.herd.api.WebSocketListener listener) {
                return sink.upgrade(head, listener);
            }
        });
        channel = new EmbeddedChannel(new HttpChannelInitializer(HttpOptions.from(config), dispatcher,
                new ServerStats(new RequestQueue(0, Duration.ZERO), new dev.herd.metrics.HttpMetrics(metrics.equals("on"))),
                AccessLog.OFF, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
        request = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(
                "GET /hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: wrk\r\n\r\n", StandardCharsets.US_ASCII));
        if (hello() <= 0) {
            throw new IllegalStateException("no response from the pipeline");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        executionModel.shutdown(Duration.ofSeconds(1));
    }

    /** One keep-alive request through the pipeline and the model; returns the response's size. */
    @Benchmark
    public int hello() {
        handoff = new CompletableFuture<>();
        channel.writeInbound(request.duplicate());
        handoff.join().run();
        int bytes = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) out;
            bytes += buf.readableBytes();
            buf.release();
        }
        return bytes;
    }
}
