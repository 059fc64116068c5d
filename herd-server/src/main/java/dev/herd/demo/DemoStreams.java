package dev.herd.demo;

import dev.herd.api.AsyncContext;
import dev.herd.api.BodyOutput;
import dev.herd.api.EventStream;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.ServerSentEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The demo app's streaming endpoints, each in a blocking form (sync, threads, virtual) and a
 * non-blocking one (async), doing the same thing:
 * <ul>
 *   <li>{@code /stream?bytes=N&chunked=1}: N bytes (default 1 MiB) written in 64 KiB chunks as
 *       the client takes them; with its length announced unless {@code chunked=1}</li>
 *   <li>{@code /upload}: the size and SHA-256 of the body, computed while it arrives (the body is
 *       never held whole)</li>
 *   <li>{@code /events?count=N&ms=M}: a server-sent event clock, one event every M ms (default
 *       1000), N events (default: until the client leaves or the worker drains)</li>
 * </ul>
 */
final class DemoStreams {

    static final int CHUNK = 64 * 1024;
    /** The bytes every /stream sends, repeated: a fixed pattern lets a client check what it got. */
    private static final byte[] PATTERN = pattern();

    private DemoStreams() {
    }

    private static byte[] pattern() {
        byte[] bytes = new byte[CHUNK];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    // ---- /stream ----

    static Response stream(Request request) {
        long total = longParam(request, "bytes", 1024 * 1024);
        if (total < 0) {
            return Response.text(400, "bytes must be a non-negative integer\n");
        }
        return streamHead(request, total).stream(out -> {
            for (long sent = 0; sent < total; sent += CHUNK) {
                out.write(chunk(total - sent)).toCompletableFuture().get();
            }
        }).build();
    }

    static Response streamAsync(Request request) {
        long total = longParam(request, "bytes", 1024 * 1024);
        if (total < 0) {
            return Response.text(400, "bytes must be a non-negative integer\n");
        }
        return streamHead(request, total).streamAsync(out -> writeFrom(out, 0, total)).build();
    }

    /**
     * Writes chunks while the connection takes them at once, and waits for a stage only when it
     * lags: back-pressure without a thread, and without one nested stage per chunk (a chain of
     * already completed stages runs on the caller's stack).
     */
    private static CompletionStage<Void> writeFrom(BodyOutput out, long sent, long total) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pump(out, sent, total, done);
        return done;
    }

    private static void pump(BodyOutput out, long sent, long total, CompletableFuture<Void> done) {
        long next = sent;
        while (next < total) {
            CompletableFuture<Void> written = out.write(chunk(total - next)).toCompletableFuture();
            next += CHUNK;
            if (!written.isDone() || written.isCompletedExceptionally()) {
                long from = next;
                written.whenComplete((ignored, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        pump(out, from, total, done);
                    }
                });
                return;
            }
        }
        done.complete(null);
    }

    private static Response.Builder streamHead(Request request, long total) {
        Response.Builder head = Response.status(200).header("content-type", "application/octet-stream");
        if (!request.query("chunked").orElse("0").equals("1")) {
            head.header("content-length", Long.toString(total));
        }
        return head;
    }

    private static ByteBuffer chunk(long left) {
        return ByteBuffer.wrap(PATTERN, 0, (int) Math.min(CHUNK, left));
    }

    // ---- /upload ----

    static Response upload(Request request) throws IOException {
        MessageDigest sha = sha256();
        long size = 0;
        byte[] buffer = new byte[CHUNK];
        try (InputStream body = request.bodyStream()) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return uploaded(size, sha);
    }

    static CompletionStage<Response> uploadAsync(Request request) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        request.bodyPublisher().subscribe(new Flow.Subscriber<>() {
            private final MessageDigest sha = sha256();
            private long size;
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                subscription.request(1);
            }

            @Override
            public void onNext(ByteBuffer chunk) {
                size += chunk.remaining();
                sha.update(chunk);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable failure) {
                result.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                result.complete(uploaded(size, sha));
            }
        });
        return result;
    }

    private static Response uploaded(long size, MessageDigest sha) {
        return Response.text(size + " bytes, sha256 " + HexFormat.of().formatHex(sha.digest()) + "\n");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    // ---- /events ----

    static Response events(Request request) {
        long count = longParam(request, "count", 0);
        long ms = longParam(request, "ms", 1000);
        if (count < 0 || ms < 1) {
            return Response.text(400, "count must be >= 0 and ms >= 1\n");
        }
        return Response.events(events -> {
            long first = firstId(events);
            for (long n = first; events.isOpen() && (count == 0 || n < first + count); n++) {
                events.sendAndWait(tick(n));
                if (count == 0 || n + 1 < first + count) {
                    Thread.sleep(ms);
                }
            }
        });
    }

    static Response eventsAsync(Request request, AsyncContext context) {
        long count = longParam(request, "count", 0);
        long ms = longParam(request, "ms", 1000);
        if (count < 0 || ms < 1) {
            return Response.text(400, "count must be >= 0 and ms >= 1\n");
        }
        return Response.eventsAsync(events -> {
            long first = firstId(events);
            return tickFrom(events, context, first, count == 0 ? Long.MAX_VALUE : first + count, Duration.ofMillis(ms));
        });
    }

    private static CompletionStage<Void> tickFrom(EventStream events, AsyncContext context, long n, long end,
                                                  Duration every) {
        if (n >= end || !events.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> sent = events.send(tick(n));
        if (n + 1 >= end) {
            return sent;
        }
        return sent.thenCompose(ignored -> context.delay(every))
                .thenCompose(ignored -> tickFrom(events, context, n + 1, end, every));
    }

    /** A client that reconnects with Last-Event-ID carries on from the next tick. */
    private static long firstId(EventStream events) {
        try {
            return events.lastEventId().map(id -> Long.parseLong(id) + 1).orElse(0L);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static ServerSentEvent tick(long n) {
        return new ServerSentEvent(Long.toString(n), "tick", Instant.now().toString(), null);
    }

    private static long longParam(Request request, String name, long fallback) {
        String text = request.query(name).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
