package dev.herd.http;

import dev.herd.api.Response;
import dev.herd.http.files.ByteRange;
import dev.herd.http.files.FileAnswer;
import dev.herd.http.files.FileInfo;
import dev.herd.http.files.StaticFolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Writes files: an app's {@code Response.file(path)} and the folders of {@code --static}. What
 * to answer (200, 206, 304, 412, 416, and which header fields) is decided by
 * {@link FileAnswer} from the request and the file's size and time; the bytes go out as a
 * {@link DefaultFileRegion}, which Netty's epoll transport sends with {@code sendfile}: from the
 * page cache to the socket without passing through the JVM. Event loop only: opening and
 * stat-ing a file are short blocking calls, as in nginx's loop.
 */
final class FileResponses {

    private static final Logger log = LoggerFactory.getLogger(FileResponses.class);

    private final HttpRequestChannelHandler connection;

    FileResponses(HttpRequestChannelHandler connection) {
        this.connection = connection;
    }

    /**
     * The app answered with a file. With status 200, ranges and conditional requests apply;
     * with any other (a custom 404 page, say) the whole file goes out with the app's status.
     */
    void write(HttpExchange exchange, Response response, Path path) {
        Optional<FileInfo> found = FileInfo.of(path);
        if (found.isEmpty()) {
            log.warn("the app answered {} with the file {}, which is not a readable regular file: 404",
                    exchange.request, path);
            connection.write(exchange, Response.text(404, "Not Found\n"), false);
            return;
        }
        FileInfo file = found.get();
        FileAnswer answer;
        if (response.status() == 200) {
            answer = FileAnswer.decide(exchange.nettyRequest.method().name(),
                    name -> exchange.nettyRequest.headers().get(name), file);
        } else {
            FileAnswer whole = FileAnswer.decide("GET", name -> null, file);
            answer = new FileAnswer(response.status(), whole.headers(), whole.body(), !exchange.head());
        }
        send(exchange, response, file, answer);
    }

    /** Answers {@code exchange} from a {@code --static} folder when its path is under one; false when not. */
    boolean serveStatic(HttpExchange exchange, List<StaticFolder> folders) {
        String path = exchange.request.path();
        for (StaticFolder folder : folders) {
            switch (folder.resolve(path)) {
                case StaticFolder.NotMine notMine -> {
                    continue;
                }
                case StaticFolder.Found(FileInfo file) -> {
                    exchange.keepOpen = connection.keepOpen(exchange, false);
                    writeStatic(exchange, file);
                }
                case StaticFolder.Redirect(String location) -> connection.write(exchange, Response.status(301)
                        .header("location", location).header("content-type", "text/plain; charset=utf-8")
                        .body("Moved Permanently\n").build(), false);
                case StaticFolder.NotFound notFound -> connection.write(exchange, Response.text(404, "Not Found\n"),
                        false);
            }
            return true;
        }
        return false;
    }

    /** A file of a {@code --static} folder, answered without the app. */
    void writeStatic(HttpExchange exchange, FileInfo file) {
        FileAnswer answer = FileAnswer.decide(exchange.nettyRequest.method().name(),
                name -> exchange.nettyRequest.headers().get(name), file);
        send(exchange, null, file, answer);
    }

    private void send(HttpExchange exchange, Response app, FileInfo file, FileAnswer answer) {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        if (app != null) {
            try {
                HttpResponse checked = HttpResponses.streamHead(app, exchange.version(), true, exchange.keepOpen,
                        false, null);
                headers.add(checked.headers());
            } catch (IllegalArgumentException invalid) {
                log.error("the app's response to {} is not valid HTTP ({}); answered 500 instead", exchange.request,
                        invalid.getMessage());
                connection.write(exchange, Response.text(500, "Internal Server Error\n"), false);
                return;
            }
        }
        for (FileAnswer.Header field : answer.headers()) {
            // The app's own content-type (and cache fields) win over the guess from the name.
            if (!(field.name().equals("content-type") && headers.contains(HttpHeaderNames.CONTENT_TYPE))) {
                headers.set(field.name(), field.value());
            }
        }
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        HttpResponses.connection(headers, exchange.version(), exchange.keepOpen);
        HttpResponseStatus status = HttpResponseStatus.valueOf(answer.status());
        ByteRange range = answer.body();
        if (!answer.sendsBody() || range.length() == 0) {
            DefaultFullHttpResponse bodiless = new DefaultFullHttpResponse(exchange.version(), status,
                    Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
            exchange.nettyResponse = bodiless;
            exchange.bodyBytes = 0;
            exchange.ctx.writeAndFlush(bodiless).addListener(exchange);
            return;
        }
        FileChannel channel;
        try {
            // The real path: no link in it can be swapped between the check and the open.
            channel = FileChannel.open(file.path(), StandardOpenOption.READ);
        } catch (IOException e) {
            log.warn("could not open {} for {}: {}", file.path(), exchange.request, e.toString());
            connection.write(exchange, Response.text(404, "Not Found\n"), false);
            return;
        }
        HttpResponse head = new DefaultHttpResponse(exchange.version(), status, headers);
        exchange.nettyResponse = head;
        exchange.bodyBytes = range.length();
        exchange.ctx.write(head);
        exchange.ctx.write(new DefaultFileRegion(channel, range.offset(), range.length()));
        exchange.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(exchange);
    }
}
