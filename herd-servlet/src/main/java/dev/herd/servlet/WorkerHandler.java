package dev.herd.servlet;

import dev.herd.http.RequestRules;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The outermost handler of a servlet worker: what herd promises about every request, whatever
 * the app. It counts requests (the heartbeat and {@code herd ctl status} report them, and
 * {@code --max-requests} retires by them), applies herd's per-field header limits (Jetty has
 * one limit for the whole header block), asks for {@code Connection: close} while the worker
 * drains, and enforces {@code --request-timeout}: past it a response not yet started becomes
 * 503 and the thread running the app is interrupted; the worker lives on.
 */
final class WorkerHandler extends Handler.Wrapper {

    /** Per-field and per-line limits, as herd's own HTTP applies them. */
    record Limits(int maxRequestLine, int maxHeaderFields, int maxHeaderFieldSize) {
    }

    private final Limits limits;
    private final Duration requestTimeout;
    private final Scheduler scheduler;
    private final LongAdder requests = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Connections with a request in progress: the drain closes the others. */
    private final Set<EndPoint> busy = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    WorkerHandler(Limits limits, Duration requestTimeout, Scheduler scheduler) {
        this.limits = limits;
        this.requestTimeout = requestTimeout;
        this.scheduler = scheduler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        inFlight.incrementAndGet();
        busy.add(endPoint);
        Exchange exchange = new Exchange(callback, endPoint, response);
        int refusal = refusal(request);
        if (refusal != 0) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Response.writeError(request, response, exchange, refusal);
            return true;
        }
        if (!requestTimeout.isZero()) {
            exchange.timer = scheduler.schedule(() -> exchange.timedOut(request, response),
                    requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        exchange.thread = Thread.currentThread();
        Request forApp = MergedSlashes.of(request);
        try {
            if (!super.handle(forApp, new DrainAware(forApp, response), exchange)) {
                Response.writeError(request, response, exchange, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable failure) {
            Response.writeError(request, response, exchange, failure);
        } finally {
            exchange.thread = null;
        }
        return true;
    }

    /**
     * 400 when the request breaks a rule of RFC 9112 that Jetty does not apply (its version's
     * spelling, its Host field: herd's own HTTP applies the same), 414 or 431 when it passes
     * one of herd's limits; 0 when none.
     */
    private int refusal(Request request) {
        if (request.getConnectionMetaData().getConnection() instanceof StrictHttpConnection strict
                && strict.badVersion()) {
            return HttpStatus.BAD_REQUEST_400;
        }
        if (RequestRules.hostProblem(request.getHeaders().getValuesList(HttpHeader.HOST),
                request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1) != null) {
            return HttpStatus.BAD_REQUEST_400;
        }
        int line = request.getMethod().length() + request.getHttpURI().getPathQuery().length() + 10;
        if (line > limits.maxRequestLine()) {
            return HttpStatus.URI_TOO_LONG_414;
        }
        if (request.getHeaders().size() > limits.maxHeaderFields()) {
            return HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431;
        }
        for (HttpField field : request.getHeaders()) {
            int size = field.getName().length() + 2 + (field.getValue() == null ? 0 : field.getValue().length());
            if (size > limits.maxHeaderFieldSize()) {
                return HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431;
            }
        }
        return 0;
    }

    /**
     * From now on every response not yet started asks the client to close: the header goes in
     * as the response commits, on the thread that writes it (see {@link DrainAware}).
     */
    void drain() {
        draining = true;
    }

    boolean isBusy(EndPoint endPoint) {
        return busy.contains(endPoint);
    }

    long requests() {
        return requests.sum();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** One request's way through: completes exactly once, whoever finishes first (the app or the timer). */
    private final class Exchange extends Callback.Nested {
        private final EndPoint endPoint;
        private final Response response;
        private final AtomicBoolean done = new AtomicBoolean();
        volatile Thread thread;
        volatile Scheduler.Task timer;

        Exchange(Callback callback, EndPoint endPoint, Response response) {
            super(callback);
            this.endPoint = endPoint;
            this.response = response;
        }

        @Override
        public void succeeded() {
            // A response with no body commits here, after its last write.
            if (draining && !response.isCommitted()) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            if (finish()) {
                super.succeeded();
            }
        }

        @Override
        public void failed(Throwable failure) {
            if (finish()) {
                super.failed(failure);
            }
        }

        private boolean finish() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            Scheduler.Task task = timer;
            if (task != null) {
                task.cancel();
            }
            busy.remove(endPoint);
            inFlight.decrementAndGet();
            requests.increment();
            return true;
        }

        /** On Jetty's scheduler: answers 503 if nothing was sent yet, and interrupts the app's thread. */
        void timedOut(Request request, Response response) {
            if (done.get() || response.isCommitted()) {
                return;
            }
            // The 503 first: once it is committed, what the interrupted app writes is refused.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Response.writeError(request, response, this, HttpStatus.SERVICE_UNAVAILABLE_503, "request timeout");
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
        }
    }

    /** The app's response, which asks the client to close when it commits during a drain. */
    private final class DrainAware extends Response.Wrapper {
        DrainAware(Request request, Response response) {
            super(request, response);
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (draining && !isCommitted()) {
                getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            super.write(last, content, callback);
        }
    }
}
