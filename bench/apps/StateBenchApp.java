package dev.herd.bench.apps;

import dev.herd.api.AsyncContext;
import dev.herd.api.AsyncHandler;
import dev.herd.api.Handler;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.state.AsyncSharedState;
import dev.herd.api.state.SharedState;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * For bench/state.sh: one request runs shared-state operations for a while and answers how many
 * it did and how long each took, as a histogram the driver merges across requests.
 * <ul>
 *   <li>{@code /run?op=get|put|incr&seconds=S&store=shared|memory}: a blocking loop on the
 *       request's thread ({@code memory}: a ConcurrentHashMap in this worker, the floor)</li>
 *   <li>{@code /run?...&window=W} under {@code async}: W operations in flight from the event
 *       loop, each completion starting the next, until the time is up</li>
 * </ul>
 * Keys: {@code bench:0..999} (get and put, 100-byte values, written once by the first request),
 * one counter for incr. Built by bench/state.sh against herd-api's jar.
 */
public final class StateBenchApp implements Handler, AsyncHandler {

    private static final int KEYS = 1000;
    private static final byte[] VALUE = "v".repeat(100).getBytes(StandardCharsets.UTF_8);
    private static final ConcurrentHashMap<String, byte[]> MEMORY = new ConcurrentHashMap<>();

    @Override
    public Response handle(Request request) {
        if (!request.path().equals("/run")) {
            return Response.text(404, "Not Found\n");
        }
        String op = request.query("op").orElse("get");
        boolean memory = request.query("store").orElse("shared").equals("memory");
        long until = System.nanoTime() + (long) (Double.parseDouble(request.query("seconds").orElse("5")) * 1e9);
        SharedState state = memory ? null : SharedState.current();
        if (!memory) {
            fill(state);
        }
        Histogram histogram = new Histogram();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long ops = 0;
        while (System.nanoTime() < until) {
            String key = op.equals("incr") ? "bench:counter" : "bench:" + random.nextInt(KEYS);
            long start = System.nanoTime();
            if (memory) {
                switch (op) {
                    case "get" -> MEMORY.get(key);
                    case "put" -> MEMORY.put(key, VALUE);
                    default -> MEMORY.merge(key, VALUE, (a, b) -> a);
                }
            } else {
                switch (op) {
                    case "get" -> state.get(key);
                    case "put" -> state.put(key, VALUE);
                    default -> state.increment(key);
                }
            }
            histogram.record(System.nanoTime() - start);
            ops++;
        }
        return Response.text(ops + "\n" + histogram.text());
    }

    @Override
    public CompletionStage<Response> handleAsync(Request request, AsyncContext context) {
        if (!request.path().equals("/run")) {
            return CompletableFuture.completedFuture(Response.text(404, "Not Found\n"));
        }
        String op = request.query("op").orElse("get");
        int window = Integer.parseInt(request.query("window").orElse("8"));
        long until = System.nanoTime() + (long) (Double.parseDouble(request.query("seconds").orElse("5")) * 1e9);
        AsyncSharedState state = SharedState.current().async();
        Histogram histogram = new Histogram();
        long[] ops = new long[1];
        CompletableFuture<Response> done = new CompletableFuture<>();
        int[] running = {window};
        AtomicReference<Runnable> next = new AtomicReference<>();
        // All on the store connection's thread once started: completions run there, one at a time.
        next.set(() -> {
            if (System.nanoTime() >= until) {
                synchronized (running) {
                    if (--running[0] == 0) {
                        done.complete(Response.text(ops[0] + "\n" + histogram.text()));
                    }
                }
                return;
            }
            String key = op.equals("incr") ? "bench:counter" : "bench:" + ThreadLocalRandom.current().nextInt(KEYS);
            long start = System.nanoTime();
            Supplier<CompletionStage<?>> call = switch (op) {
                case "get" -> () -> state.get(key);
                case "put" -> () -> state.put(key, VALUE, null);
                default -> () -> state.increment(key, 1);
            };
            call.get().whenComplete((result, failure) -> {
                histogram.record(System.nanoTime() - start);
                synchronized (running) {
                    ops[0]++;
                }
                next.get().run();
            });
        });
        fillAsync(state).thenRun(() -> {
            for (int i = 0; i < window; i++) {
                next.get().run();
            }
        });
        return done;
    }

    private static void fill(SharedState state) {
        if (state.putIfAbsent("bench:filled", "1", null)) {
            for (int i = 0; i < KEYS; i++) {
                state.put("bench:" + i, VALUE);
            }
        }
    }

    private static CompletionStage<Void> fillAsync(AsyncSharedState state) {
        return state.putIfAbsent("bench:filled", "1".getBytes(StandardCharsets.UTF_8), null).thenCompose(first -> {
            CompletableFuture<?>[] puts = new CompletableFuture<?>[first ? KEYS : 0];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = state.put("bench:" + i, VALUE, null).toCompletableFuture();
            }
            return CompletableFuture.allOf(puts);
        });
    }

    /** Latencies in buckets 2% wide (bucket i holds about 1.02^i ns); merged by the driver. */
    static final class Histogram {
        private static final double LOG_BASE = Math.log(1.02);
        private final AtomicLongArray counts = new AtomicLongArray(1200);

        void record(long nanos) {
            int bucket = (int) (Math.log(Math.max(1, nanos)) / LOG_BASE);
            counts.incrementAndGet(Math.min(bucket, counts.length() - 1));
        }

        String text() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < counts.length(); i++) {
                long c = counts.get(i);
                if (c > 0) {
                    out.append(i).append(' ').append(c).append('\n');
                }
            }
            return out.toString();
        }
    }
}
