package dev.herd.http;

import dev.herd.api.Response;
import dev.herd.api.ResponseBody;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Puts an app's {@link Response} on the wire: a whole response, a file, or the head of a
 * streamed one. The connection has already decided whether it stays open after it
 * ({@link HttpExchange#keepOpen}); the exchange hears when the response is out. Event loop only.
 */
final class ResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);
    private static final AsciiString EVENT_STREAM = AsciiString.cached("text/event-stream; charset=utf-8");

    private final FileResponses files;
    private final ServerStats stats;

    ResponseWriter(FileResponses files, ServerStats stats) {
        this.files = files;
        this.stats = stats;
    }

    /** A complete outcome: bytes, or a file. */
    void write(HttpExchange exchange, Response response) {
        if (response.body() instanceof ResponseBody.File(Path path)) {
            files.write(exchange, response, path);
            return;
        }
        FullHttpResponse full;
        try {
            full = HttpResponses.fromApp(response, exchange.version(), exchange.head(), exchange.keepOpen);
        } catch (IllegalArgumentException invalid) {
            // A header that would split the response or break the framing: the client gets none of it.
            log.error("the app's response to {} is not valid HTTP ({}); answered 500 instead", exchange.request,
                    invalid.getMessage());
            full = HttpResponses.fromApp(Response.text(500, "Internal Server Error\n"), exchange.version(),
                    exchange.head(), exchange.keepOpen);
        }
        exchange.nettyResponse = full;
        exchange.bodyBytes = full.content().readableBytes();
        exchange.ctx.writeAndFlush(full).addListener(exchange);
    }

    /** The head of a streamed response; the body follows through {@code body}. */
    void writeStreamHead(HttpExchange exchange, Response response, StreamingResponse body, boolean events) {
        exchange.eventStream = events;
        HttpResponse head = HttpResponses.streamHead(response, exchange.version(), exchange.head(),
                exchange.keepOpen, body.chunked(), events ? EVENT_STREAM : null);
        if (events && !head.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        }
        exchange.nettyResponse = head;
        exchange.output = body;
        body.owner(exchange);
        stats.streams.incrementAndGet();
        exchange.ctx.writeAndFlush(head).addListener(written -> {
            if (!written.isSuccess()) {
                body.cut("the client went away");
            }
        });
        if (events && stats.draining) {
            body.end();
        }
    }
}
