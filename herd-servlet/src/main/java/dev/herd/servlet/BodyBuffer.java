package dev.herd.servlet;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request body up to {@code --body-buffer} before the app runs, as herd's own HTTP
 * does: a client that sends its body slowly holds no app thread, and a body whose framing is
 * broken (a bad chunk size, chunk data not followed by CRLF) gets 400 before the app answers,
 * instead of the app's 200 followed by a cut connection. A larger body, one announced over
 * the limit, and one behind {@code Expect: 100-continue} (whose interim answer waits for the
 * app to read) go to the app as they are; what was read is handed to the app first.
 */
final class BodyBuffer extends Handler.Wrapper {

    private final long limit;

    /** @param limit the most bytes read before the app runs */
    BodyBuffer(long limit) {
        this.limit = limit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long length = request.getLength();
        boolean body = length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
        if (!body || length > limit || request.getHeaders().contains(HttpHeader.EXPECT)) {
            return super.handle(request, response, callback);
        }
        new Collector(request, response, callback).run();
        return true;
    }

    /** Reads chunks as they come, without blocking a thread between them. */
    private final class Collector implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Queue<Content.Chunk> chunks = new ArrayDeque<>();
        private long size;

        Collector(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    refuse(chunk.getFailure());
                    return;
                }
                chunks.add(chunk);
                size += chunk.remaining();
                if (chunk.isLast() || size >= limit) {
                    dispatch();
                    return;
                }
            }
        }

        private void dispatch() {
            Request replay = new Replay(request, chunks);
            try {
                if (!BodyBuffer.super.handle(replay, response, callback)) {
                    Response.writeError(replay, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                Response.writeError(replay, response, callback, failure);
            }
        }

        private void refuse(Throwable failure) {
            chunks.forEach(Content.Chunk::release);
            chunks.clear();
            int status = failure instanceof HttpException http ? http.getCode()
                    : failure instanceof TimeoutException ? HttpStatus.REQUEST_TIMEOUT_408 : HttpStatus.BAD_REQUEST_400;
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            Response.writeError(request, response, callback, status);
        }
    }

    /** The request, whose first chunks are the ones already read. */
    private static final class Replay extends Request.Wrapper {
        private final Queue<Content.Chunk> chunks;

        Replay(Request request, Queue<Content.Chunk> chunks) {
            super(request);
            this.chunks = chunks;
        }

        @Override
        public Content.Chunk read() {
            synchronized (chunks) {
                Content.Chunk chunk = chunks.poll();
                if (chunk != null) {
                    return chunk;
                }
            }
            return super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean ready;
            synchronized (chunks) {
                ready = !chunks.isEmpty();
            }
            if (ready) {
                demandCallback.run();
            } else {
                super.demand(demandCallback);
            }
        }
    }
}
