package dev.herd.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.config.Config;
import dev.herd.metrics.HttpMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes, in two reads split anywhere, through the pipeline every connection gets: nothing
 * escapes as an exception, whatever goes out is HTTP responses, and whatever reaches the app
 * passed the rules (a target in origin or asterisk form, a Host on HTTP/1.1). Inputs that once
 * found a crash, and seeds, are in {@code HttpPipelineFuzzTestInputs/requests}: they run as
 * regression tests on every build; {@code JAZZER_FUZZ=1} explores from them (./build fuzz).
 */
class HttpPipelineFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void requests(FuzzedDataProvider data) {
        int split = data.consumeInt(0, 4096);
        byte[] bytes = data.consumeRemainingAsBytes();
        List<Request> seen = new ArrayList<>();
        RequestDispatcher app = (request, loop, sink) -> {
            seen.add(request);
            request.readBody().thenAccept(body -> sink.complete(Response.text(request.path() + " " + body.length)));
            return Cancellable.NONE;
        };
        EmbeddedChannel channel = new EmbeddedChannel(new HttpChannelInitializer(HttpOptions.from(Config.defaults()), app,
                new ServerStats(new RequestQueue(0, Duration.ZERO), new HttpMetrics(true)), AccessLog.OFF,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
        try {
            int cut = Math.min(split, bytes.length);
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, cut));
            if (channel.isOpen()) {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            }
            channel.runPendingTasks();
            String out = drain(channel);
            if (!out.isEmpty()) {
                assertThat(out).startsWith("HTTP/1.");
            }
            for (Request request : seen) {
                assertThat(request.path().startsWith("/") || request.path().equals("*")).as(request.path()).isTrue();
                if (request.protocol().equals("HTTP/1.1")) {
                    assertThat(request.header("host")).isPresent();
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static String drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }
}
