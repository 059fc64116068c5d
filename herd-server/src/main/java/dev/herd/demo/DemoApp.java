package dev.herd.demo;

import dev.herd.api.AsyncContext;
import dev.herd.api.AsyncHandler;
import dev.herd.api.Handler;
import dev.herd.api.Lifecycle;
import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.WorkerInfo;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in demo app, served when no app is named. Its endpoints are what the tests, the
 * benchmarks and the lab drive, the same in every execution model:
 * <ul>
 *   <li>{@code /hello}: the text {@code Hello, World!}</li>
 *   <li>{@code /cpu?ms=N}: burns about N ms of CPU (default 1)</li>
 *   <li>{@code /io?ms=N}: waits N ms without using CPU (default 10); under {@code async} it
 *       waits on an event-loop timer, never blocking the loop</li>
 *   <li>{@code /whoami}: JSON with the worker's pid, index, generation, model, the thread
 *       that ran the handler and the platform thread carrying it (the same one unless the
 *       handler runs on a virtual thread), and the client's address and scheme as herd saw them
 *       (after trusted proxy headers)</li>
 *   <li>{@code /upload}: the size and SHA-256 of the request body, computed while it arrives</li>
 *   <li>{@code /stream?bytes=N}, {@code /events}: a streamed download and a server-sent event
 *       clock ({@link DemoStreams})</li>
 *   <li>{@code /ws/echo}: a WebSocket echo ({@link DemoWebSockets})</li>
 *   <li>{@code /login}, {@code /me}, {@code /logout}, {@code /count}, {@code /kv},
 *       {@code /publish}, {@code /received}: shared state across the workers ({@link DemoState}), and
 *       {@code /ws/chat}: one chat room across the workers ({@link DemoChat})</li>
 *   <li>{@code /error}: throws, to show that an app failure is a 500 and the worker lives</li>
 * </ul>
 * With {@code HERD_DEMO_GIL=1} every request holds the process's emulated interpreter lock
 * ({@link Gil}) except while {@code /io} waits, as a CPython app would.
 */
public final class DemoApp implements Handler, AsyncHandler, Lifecycle {

    private static final String INDEX = """
            herd demo app
              /hello       Hello, World!
              /cpu?ms=N    burn N ms of CPU (default 1)
              /io?ms=N     wait N ms without CPU (default 10)
              /whoami      which worker and thread served this request, and for whom
              /upload      size and SHA-256 of the request body, computed while it arrives
              /stream?bytes=N   a streamed download of N bytes (chunked=1: without a length)
              /events?ms=M      a server-sent event clock, one event every M ms
              /ws/echo          a WebSocket that sends every message back
              /ws/chat?name=N   a chat room across every worker (WebSocket, pub/sub)
              /login?user=NAME, /me, /logout   a session in the shared state, seen by every worker
              /count            GET: a counter shared by the workers; POST: add one (?times=N)
              /kv?key=K         GET, PUT (?ttl=SECONDS), DELETE a shared key
              /publish, /received   POST a message to every worker; what this worker heard
            """;

    private volatile WorkerInfo worker = new WorkerInfo(ProcessHandle.current().pid(), 0, 0, "none");
    private final DemoState state = new DemoState();
    private final DemoChat chat = new DemoChat();

    @Override
    public void started(WorkerInfo worker) {
        this.worker = worker;
        state.started(worker);
        chat.started(worker);
    }

    @Override
    public Response handle(Request request) throws InterruptedException, java.io.IOException {
        Gil gil = Gil.PROCESS;
        gil.acquire();
        try {
            return switch (request.path()) {
                case "/io" -> {
                    Integer ms = millis(request, 10);
                    if (ms == null) {
                        yield badMillis();
                    }
                    gil.blocking(() -> Thread.sleep(ms));
                    yield ioDone(ms);
                }
                case "/upload" -> DemoStreams.upload(request);
                case "/stream" -> DemoStreams.stream(request);
                case "/events" -> DemoStreams.events(request);
                case "/ws/echo" -> DemoWebSockets.echo(request);
                case "/ws/chat" -> chat.join(request);
                default -> DemoState.serves(request.path()) ? state.handle(request) : common(request);
            };
        } finally {
            gil.release();
        }
    }

    /** Runs on the event loop under {@code async}: only {@code /io} waits, and it uses a timer. */
    @Override
    public CompletionStage<Response> handleAsync(Request request, AsyncContext context) {
        if (request.path().equals("/io")) {
            Integer ms = millis(request, 10);
            if (ms == null) {
                return CompletableFuture.completedFuture(badMillis());
            }
            return context.delay(Duration.ofMillis(ms)).thenApply(ignored -> ioDone(ms));
        }
        switch (request.path()) {
            case "/upload" -> {
                return DemoStreams.uploadAsync(request);
            }
            case "/stream" -> {
                return CompletableFuture.completedFuture(DemoStreams.streamAsync(request));
            }
            case "/events" -> {
                return CompletableFuture.completedFuture(DemoStreams.eventsAsync(request, context));
            }
            case "/ws/echo" -> {
                return CompletableFuture.completedFuture(DemoWebSockets.echoAsync(request));
            }
            case "/ws/chat" -> {
                return CompletableFuture.completedFuture(chat.join(request));
            }
            default -> {
                if (DemoState.serves(request.path())) {
                    return state.handleAsync(request);
                }
            }
        }
        Gil.PROCESS.acquire();
        try {
            return CompletableFuture.completedFuture(common(request));
        } finally {
            Gil.PROCESS.release();
        }
    }

    private Response common(Request request) {
        return switch (request.path()) {
            case "/hello" -> Response.text("Hello, World!");
            case "/cpu" -> {
                Integer ms = millis(request, 1);
                yield ms == null ? badMillis() : Response.text("burned " + ms + " ms, " + CpuWork.burn(ms) + "\n");
            }
            case "/whoami" -> Response.json(whoami(request));
            case "/error" -> throw new IllegalStateException("demo failure requested by /error");
            case "/" -> Response.text(INDEX);
            default -> Response.text(404, "Not Found\n");
        };
    }

    private String whoami(Request request) {
        Thread thread = Thread.currentThread();
        WorkerInfo w = worker;
        String client = request.remoteAddress() == null ? "" : request.remoteAddress().getAddress().getHostAddress();
        return "{\"pid\":" + w.pid() + ",\"index\":" + w.index() + ",\"generation\":" + w.generation()
                + ",\"model\":\"" + w.executionModel() + "\",\"thread\":\"" + thread.getName().replace("\"", "'")
                + "\",\"virtual\":" + thread.isVirtual() + ",\"carrier\":\"" + carrier(thread).replace("\"", "'")
                + "\",\"client\":\"" + client + "\",\"scheme\":\"" + request.scheme() + "\"}";
    }

    /** The platform thread a virtual thread runs on (its toString ends in {@code @carrier}); itself otherwise. */
    private static String carrier(Thread thread) {
        if (!thread.isVirtual()) {
            return thread.getName();
        }
        String description = thread.toString();
        int at = description.lastIndexOf('@');
        return at < 0 ? "" : description.substring(at + 1);
    }

    private static Response ioDone(int ms) {
        return Response.text("waited " + ms + " ms\n");
    }

    private static Integer millis(Request request, int fallback) {
        String text = request.query("ms").orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            int ms = Integer.parseInt(text);
            return ms >= 0 && ms <= 600_000 ? ms : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Response badMillis() {
        return Response.text(400, "ms must be an integer from 0 to 600000\n");
    }
}
