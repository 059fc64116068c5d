package dev.herd.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A worker's HTTP metrics, whatever its engine: one duration histogram per method, status and
 * (when the app names it) route, body sizes, and the time requests wait for the app. Recorded
 * on the threads that answer, without locks; reported as increases ({@link #collect}).
 */
public final class HttpMetrics {

    /** OpenTelemetry's known methods; any other is {@code _OTHER}, so a client cannot make series at will. */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "_OTHER");
    private static final int STATUSES = 600;

    /** The common case, no route: a slot per method and status, made on first use. */
    private final AtomicReferenceArray<Histogram> byMethodAndStatus =
            new AtomicReferenceArray<>(METHODS.size() * STATUSES);
    private final Map<Routed, Histogram> byRoute = new ConcurrentHashMap<>();
    private final Histogram requestBodies = new Histogram(Histogram.BODY_BYTES);
    private final Histogram responseBodies = new Histogram(Histogram.BODY_BYTES);
    private final Histogram queue = new Histogram(Histogram.QUEUE_SECONDS, Histogram.NANOS);
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    /** A counter reported as increases, as a histogram is. */
    private static final class Counter {
        final java.util.concurrent.atomic.LongAdder total = new java.util.concurrent.atomic.LongAdder();
        long reported;
    }

    private record Routed(int method, int status, String route) {
    }

    private final boolean enabled;

    /** @param enabled false ({@code --no-metrics}): nothing is recorded */
    public HttpMetrics(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * One answered request.
     *
     * @param route             the app's name for its route ({@code /users/{id}}), or null
     * @param requestBodyBytes  bytes of request body, as declared; 0 for none, -1 when unknown (neither is counted)
     * @param responseBodyBytes bytes of response body sent
     */
    public void answered(String method, int status, String route, long requestBodyBytes, long responseBodyBytes,
                         long durationNanos) {
        if (!enabled) {
            return;
        }
        int m = methodIndex(method);
        int s = status >= 100 && status < STATUSES ? status : 0;
        Histogram durations;
        if (route == null) {
            int slot = m * STATUSES + s;
            durations = byMethodAndStatus.get(slot);
            if (durations == null) {
                byMethodAndStatus.compareAndSet(slot, null, new Histogram(Histogram.DURATION_SECONDS, Histogram.NANOS));
                durations = byMethodAndStatus.get(slot);
            }
        } else {
            durations = byRoute.computeIfAbsent(new Routed(m, s, route),
                    r -> new Histogram(Histogram.DURATION_SECONDS, Histogram.NANOS));
        }
        durations.observeRaw(durationNanos);
        // A request without a body (most GETs) has no body size to speak of: it is not counted.
        if (requestBodyBytes > 0) {
            requestBodies.observeRaw(requestBodyBytes);
        }
        responseBodies.observeRaw(responseBodyBytes);
    }

    /** A request waited this long between its head arriving and the app starting it. */
    public void queued(long nanos) {
        if (!enabled) {
            return;
        }
        queue.observeRaw(nanos);
    }

    /** A request refused 503 because the queue was full ({@code queue_full}) or it waited too long ({@code queue_timeout}). */
    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> new Counter()).total.increment();
    }

    /** What was recorded since the previous call. One caller at a time (the worker's reporter). */
    public void collect(List<Sample> out) {
        for (int slot = 0; slot < byMethodAndStatus.length(); slot++) {
            Histogram durations = byMethodAndStatus.get(slot);
            if (durations != null) {
                add(out, durations.delta(Catalog.REQUEST_DURATION, false, List.of(
                        "http_request_method", METHODS.get(slot / STATUSES),
                        "http_response_status_code", Integer.toString(slot % STATUSES))));
            }
        }
        byRoute.forEach((key, durations) -> add(out, durations.delta(Catalog.REQUEST_DURATION, false, List.of(
                "http_request_method", METHODS.get(key.method()),
                "http_response_status_code", Integer.toString(key.status()),
                "http_route", key.route()))));
        add(out, requestBodies.delta(Catalog.REQUEST_BODY_SIZE, false, List.of()));
        add(out, responseBodies.delta(Catalog.RESPONSE_BODY_SIZE, false, List.of()));
        add(out, queue.delta(Catalog.QUEUE_DURATION, false, List.of()));
        rejected.forEach((reason, counter) -> {
            long now = counter.total.sum();
            if (now > counter.reported) {
                out.add(Sample.counter(Catalog.REJECTED, false, List.of("reason", reason), now - counter.reported));
                counter.reported = now;
            }
        });
    }

    private static void add(List<Sample> out, Sample sample) {
        if (sample != null) {
            out.add(sample);
        }
    }

    private static int methodIndex(String method) {
        int i = METHODS.indexOf(method);
        return i < 0 ? METHODS.size() - 1 : i;
    }
}
