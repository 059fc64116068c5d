package dev.herd.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

import java.util.ArrayDeque;

/**
 * The requests of a connection read ahead of the one being answered, in order: complete ones
 * ({@link FullHttpRequest}), ones whose body still arrives ({@link StreamedHttpRequest}), and
 * refusals waiting for their turn ({@link UnreadableHttpRequest}). A client that pipelines and
 * never reads its answers would otherwise have herd read its requests into memory for as long
 * as it sends them: past {@link #MAX} the decoder holds (the socket is not read) until one is
 * taken, and the kernel pushes back on the client. Event loop only.
 */
final class PipelinedRequests {

    /** Most requests read ahead of the one being answered. */
    static final int MAX = 16;

    private final ArrayDeque<HttpRequest> waiting = new ArrayDeque<>(2);
    private boolean full;

    void add(ChannelHandlerContext ctx, HttpRequest request) {
        waiting.add(request);
        if (waiting.size() >= MAX && !full) {
            full = true;
            hold(ctx, true);
        }
    }

    /** The next request, or null; reading goes on once there is room again. */
    HttpRequest poll(ChannelHandlerContext ctx) {
        HttpRequest request = waiting.poll();
        if (full && waiting.size() < MAX) {
            full = false; // room again: decode what was read, and read on
            hold(ctx, false);
        }
        return request;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    /** The waiting request whose body is {@code body} fails with {@code why} in its turn. */
    void refuseBody(StreamedRequestBody body, Throwable why) {
        for (HttpRequest request : waiting) {
            if (request instanceof StreamedHttpRequest streamed && streamed.body() == body) {
                streamed.setDecoderResult(DecoderResult.failure(why));
            }
        }
    }

    /** Drops every waiting request (the connection closed, or became a WebSocket). */
    void dropAll() {
        HttpRequest request;
        while ((request = waiting.poll()) != null) {
            release(request);
        }
    }

    /** Frees what a request holds: a complete one's body, a streamed one's unread rest. */
    static void release(HttpRequest request) {
        if (request instanceof FullHttpRequest whole) {
            whole.release();
        } else if (request instanceof StreamedHttpRequest streamed) {
            streamed.body().discard();
        }
    }

    private static void hold(ChannelHandlerContext ctx, boolean on) {
        StrictHttpRequestDecoder decoder = ctx.pipeline().get(StrictHttpRequestDecoder.class);
        if (decoder != null) {
            decoder.hold(ctx.pipeline().context(decoder), on);
        }
    }
}
