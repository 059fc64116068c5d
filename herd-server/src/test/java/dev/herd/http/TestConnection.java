package dev.herd.http;

import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.config.Config;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connection through the production pipeline ({@link HttpChannelInitializer}) on an
 * {@link EmbeddedChannel}, whose clock the test moves by hand. The app either answers every
 * request at once with {@code METHOD PATH} or, when {@link #holdResponses}, keeps the sinks so
 * the test answers (or never answers) later.
 */
final class TestConnection {

    final EmbeddedChannel channel;
    final ServerStats stats = new ServerStats(new RequestQueue(0, java.time.Duration.ZERO), new dev.herd.metrics.HttpMetrics(true));
    final List<Request> requests = new ArrayList<>();
    final List<ResponseSink> sinks = new ArrayList<>();
    final List<Integer> cancelled = new ArrayList<>();
    private boolean hold;

    TestConnection(Config config) {
        this(config, AccessLog.OFF);
    }

    TestConnection(Config config, AccessLog accessLog) {
        RequestDispatcher app = (request, loop, sink) -> {
            int index = requests.size();
            requests.add(request);
            sinks.add(sink);
            if (!hold) {
                sink.complete(Response.text(request.method() + " " + request.path()));
            }
            return () -> cancelled.add(index);
        };
        channel = new EmbeddedChannel(new HttpChannelInitializer(HttpOptions.from(config), app, stats, accessLog,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
        channel.freezeTime();
    }

    TestConnection holdResponses() {
        hold = true;
        return this;
    }

    /** Sends {@code text} with every LF turned into CRLF. */
    TestConnection send(String text) {
        ByteBuf bytes = Unpooled.copiedBuffer(text.replace("\n", "\r\n"), StandardCharsets.ISO_8859_1);
        channel.writeInbound(bytes);
        return this;
    }

    /** Moves the connection's clock and runs what fell due. */
    TestConnection advance(Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        return this;
    }

    /** Everything written to the client since the last call. */
    String output() {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    boolean isOpen() {
        channel.runPendingTasks();
        return channel.isOpen();
    }
}
