package dev.herd.http;

import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.config.Config;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks the raw request corpus in {@code resources/requests}: every {@code valid/*.http} reaches
 * the app as the sibling {@code .expect} line says; every {@code invalid/NNN-*.http} gets status
 * NNN and its connection closed, and never reaches the app. A regression case is a new file,
 * not new code. Files are written with LF line ends and sent with CRLF. The pipeline is the
 * one {@link HttpChannelInitializer} gives every connection, with the default settings.
 */
class RequestCorpusTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validRequestReachesTheApp(String name, Path file) throws IOException {
        List<Request> seen = new ArrayList<>();
        EmbeddedChannel channel = pipeline(seen);
        channel.writeInbound(read(file));
        channel.runPendingTasks();
        String response = drainOutbound(channel);
        String expected = Files.readString(file.resolveSibling(name.replace(".http", ".expect"))).strip();
        assertThat(response).startsWith("HTTP/1.").contains(" 200 OK").endsWith(expected);
        assertThat(seen).hasSize(1);
        assertThat(channel.isOpen()).isEqualTo(!name.startsWith("http10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidRequestGetsItsStatusAndTheConnectionCloses(String name, Path file) throws IOException {
        List<Request> seen = new ArrayList<>();
        EmbeddedChannel channel = pipeline(seen);
        channel.writeInbound(read(file));
        String response = drainOutbound(channel);
        assertThat(response).startsWith("HTTP/1.1 " + name.substring(0, 3) + " ");
        assertThat(response).containsIgnoringCase("connection: close");
        // One answer only: nothing after the refused request was read as another request.
        assertThat(response.split("HTTP/1\\.", -1)).hasSize(2);
        assertThat(seen).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    /** RFC 9110 9.3.2: the answer to HEAD has no body, a refusal included, even when the line itself was refused. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "HEAD /hello HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
            "HEAD /a\u001bb HTTP/1.1\r\nHost: x\r\n\r\n",
            "HEAD /hello http/1.1\r\nHost: x\r\n\r\n",
            "HEAD /hello HTTP/1.1\r\n\r\n"})
    void refusedHeadRequestGetsNoBody(String raw) {
        EmbeddedChannel channel = pipeline(new ArrayList<>());
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        String response = drainOutbound(channel);
        assertThat(response).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-length: 12").endsWith("\r\n\r\n");
    }

    static Stream<Object[]> valid() throws Exception {
        return corpus("valid");
    }

    static Stream<Object[]> invalid() throws Exception {
        return corpus("invalid");
    }

    private static Stream<Object[]> corpus(String kind) throws URISyntaxException, IOException {
        Path dir = Path.of(RequestCorpusTest.class.getResource("/requests/" + kind).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".http")).sorted()
                    .map(f -> new Object[]{f.getFileName().toString(), f}).toList().stream();
        }
    }

    /** The worker's pipeline, built as HttpServer builds it, with default options and an app that echoes. */
    private static EmbeddedChannel pipeline(List<Request> seen) {
        // Reads the body as an app would, whole or streamed (100-continue), and answers with its length.
        RequestDispatcher echo = (request, loop, sink) -> {
            seen.add(request);
            request.readBody().thenAccept(body -> sink.complete(Response.text(
                    request.method() + " " + request.path() + " " + request.rawQuery() + " " + body.length)));
            return Cancellable.NONE;
        };
        return new EmbeddedChannel(new HttpChannelInitializer(HttpOptions.from(Config.defaults()), echo,
                new ServerStats(new RequestQueue(0, java.time.Duration.ZERO), new dev.herd.metrics.HttpMetrics(true)), AccessLog.OFF, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
    }

    private static ByteBuf read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String drainOutbound(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }
}
