package dev.herd.demo;

import dev.herd.api.Request;
import dev.herd.api.Response;
import dev.herd.api.WorkerInfo;
import dev.herd.api.state.AsyncSharedState;
import dev.herd.api.state.ChannelMessage;
import dev.herd.api.state.Session;
import dev.herd.api.state.Sessions;
import dev.herd.api.state.SharedState;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The demo app's shared state ({@link SharedState}): what one worker writes, the others read.
 * <ul>
 *   <li>{@code /login?user=NAME}, {@code /me}, {@code /logout}: a session behind a cookie ({@code /login}
 *       alone answers how to log in, as a login page would)</li>
 *   <li>{@code /count}: GET reads a shared counter; POST adds one ({@code ?times=N}: N times, one
 *       increment each) and answers the new value</li>
 *   <li>{@code /kv?key=K}: GET reads, PUT writes the body ({@code &ttl=SECONDS}), DELETE deletes</li>
 *   <li>{@code /publish?channel=demo}: POST publishes the body; {@code /received}: what this
 *       worker heard on channel {@code demo}, newest last</li>
 * </ul>
 * The blocking methods serve {@code sync}, {@code threads} and {@code virtual}; the async ones
 * serve {@code async} and never block the event loop.
 */
final class DemoState {

    static final String COUNTER = "demo:count";
    static final String CHANNEL = "demo";
    private static final int MAX_TIMES = 1_000_000;
    private static final int KEEP_RECEIVED = 100;

    private final Sessions sessions = Sessions.create();
    private final Deque<String> received = new ArrayDeque<>();
    private volatile WorkerInfo worker;

    static boolean serves(String path) {
        return switch (path) {
            case "/login", "/me", "/logout", "/count", "/kv", "/publish", "/received" -> true;
            default -> false;
        };
    }

    /** Listens on the demo channel; at worker start, once the shared state is there. */
    void started(WorkerInfo worker) {
        this.worker = worker;
        SharedState.current().subscribe(CHANNEL, this::heard);
    }

    private void heard(ChannelMessage message) {
        synchronized (received) {
            received.addLast(message.text());
            if (received.size() > KEEP_RECEIVED) {
                received.removeFirst();
            }
        }
    }

    // ---- blocking -------------------------------------------------------------------------------

    Response handle(Request request) {
        SharedState state = SharedState.current();
        return switch (request.path()) {
            case "/login" -> {
                Optional<String> user = request.query("user").filter(u -> !u.isBlank());
                if (user.isEmpty()) {
                    yield Response.text("log in with /login?user=NAME\n");
                }
                Session session = sessions.load(request).put("user", user.get()).rotateId();
                yield sessions.save(session, Response.status(200)).body(loggedIn(user.get())).build();
            }
            case "/me" -> {
                Session session = sessions.load(request);
                Optional<Response> me = me(session);
                me.ifPresent(m -> sessions.save(session)); // slides the session's time to live
                yield me.orElseGet(DemoState::notLoggedIn);
            }
            case "/logout" -> {
                Session session = sessions.load(request).invalidate();
                yield sessions.save(session, Response.status(200)).body("logged out\n").build();
            }
            case "/count" -> {
                if (request.method().equals("GET")) {
                    yield Response.text(state.getString(COUNTER).orElse("0") + "\n");
                }
                Integer times = times(request);
                if (times == null) {
                    yield badTimes();
                }
                long value = 0;
                for (int i = 0; i < times; i++) {
                    value = state.increment(COUNTER);
                }
                yield Response.text(value + "\n");
            }
            case "/kv" -> keyValue(request, state);
            case "/publish" -> Response.text("reached " + state.publish(channel(request), request.body()) + "\n");
            case "/received" -> Response.json(receivedJson());
            default -> Response.text(404, "Not Found\n");
        };
    }

    private Response keyValue(Request request, SharedState state) {
        Optional<String> key = request.query("key");
        if (key.isEmpty()) {
            return Response.text(400, "usage: /kv?key=K\n");
        }
        return switch (request.method()) {
            case "GET" -> state.get(key.get()).map(v -> Response.status(200).body(v).build())
                    .orElseGet(() -> Response.text(404, "no such key\n"));
            case "PUT" -> {
                Duration ttl = ttl(request);
                if (ttl != null && ttl.isZero()) {
                    yield badTtl();
                }
                state.put(key.get(), request.body(), ttl);
                yield Response.text("stored\n");
            }
            case "DELETE" -> Response.text(state.delete(key.get()) ? "deleted\n" : "no such key\n");
            default -> Response.text(405, "GET, PUT or DELETE\n");
        };
    }

    // ---- async ----------------------------------------------------------------------------------

    CompletionStage<Response> handleAsync(Request request) {
        AsyncSharedState state = SharedState.current().async();
        return switch (request.path()) {
            case "/login" -> {
                Optional<String> user = request.query("user").filter(u -> !u.isBlank());
                if (user.isEmpty()) {
                    yield done(Response.text("log in with /login?user=NAME\n"));
                }
                yield sessions.loadAsync(request)
                        .thenCompose(s -> sessions.saveAsync(s.put("user", user.get()).rotateId()))
                        .thenApply(cookie -> withCookie(cookie, Response.status(200)).body(loggedIn(user.get())).build());
            }
            case "/me" -> sessions.loadAsync(request).thenCompose(session -> me(session)
                    .map(m -> sessions.saveAsync(session).thenApply(x -> m))
                    .orElseGet(() -> done(notLoggedIn())));
            case "/logout" -> sessions.loadAsync(request)
                    .thenCompose(s -> sessions.saveAsync(s.invalidate()))
                    .thenApply(cookie -> withCookie(cookie, Response.status(200)).body("logged out\n").build());
            case "/count" -> {
                if (request.method().equals("GET")) {
                    yield state.getString(COUNTER).thenApply(v -> Response.text(v.orElse("0") + "\n"));
                }
                Integer times = times(request);
                if (times == null) {
                    yield done(badTimes());
                }
                yield incrementTimes(state, times).thenApply(v -> Response.text(v + "\n"));
            }
            case "/kv" -> keyValueAsync(request, state);
            case "/publish" -> state.publish(channel(request), request.body())
                    .thenApply(n -> Response.text("reached " + n + "\n"));
            case "/received" -> done(Response.json(receivedJson()));
            default -> done(Response.text(404, "Not Found\n"));
        };
    }

    /** One increment after another: each waits for the last, as the blocking loop does. */
    private static CompletionStage<Long> incrementTimes(AsyncSharedState state, int times) {
        CompletionStage<Long> chain = CompletableFuture.completedFuture(0L);
        for (int i = 0; i < times; i++) {
            chain = chain.thenCompose(x -> state.increment(COUNTER, 1));
        }
        return chain;
    }

    private CompletionStage<Response> keyValueAsync(Request request, AsyncSharedState state) {
        Optional<String> key = request.query("key");
        if (key.isEmpty()) {
            return done(Response.text(400, "usage: /kv?key=K\n"));
        }
        return switch (request.method()) {
            case "GET" -> state.get(key.get()).thenApply(v -> v.map(b -> Response.status(200).body(b).build())
                    .orElseGet(() -> Response.text(404, "no such key\n")));
            case "PUT" -> {
                Duration ttl = ttl(request);
                yield ttl != null && ttl.isZero() ? done(badTtl())
                        : state.put(key.get(), request.body(), ttl).thenApply(x -> Response.text("stored\n"));
            }
            case "DELETE" -> state.delete(key.get())
                    .thenApply(d -> Response.text(d ? "deleted\n" : "no such key\n"));
            default -> done(Response.text(405, "GET, PUT or DELETE\n"));
        };
    }

    // ---- shared pieces --------------------------------------------------------------------------

    private Optional<Response> me(Session session) {
        return session.get("user").map(user -> Response.text(user + " (worker " + worker.index() + ")\n"));
    }

    private String loggedIn(String user) {
        return "logged in as " + user + " on worker " + worker.index() + "\n";
    }

    private static Response notLoggedIn() {
        return Response.text(401, "not logged in\n");
    }

    private static Response.Builder withCookie(Optional<String> cookie, Response.Builder response) {
        cookie.ifPresent(c -> response.header("Set-Cookie", c));
        return response;
    }

    private String receivedJson() {
        StringBuilder json = new StringBuilder("{\"index\":" + worker.index() + ",\"pid\":" + worker.pid()
                + ",\"messages\":[");
        synchronized (received) {
            String sep = "";
            for (String message : received) {
                json.append(sep).append('"').append(message.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                sep = ",";
            }
        }
        return json.append("]}").toString();
    }

    private static String channel(Request request) {
        return request.query("channel").orElse(CHANNEL);
    }

    private static Integer times(Request request) {
        try {
            int times = Integer.parseInt(request.query("times").orElse("1"));
            return times >= 1 && times <= MAX_TIMES ? times : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Response badTimes() {
        return Response.text(400, "times must be an integer from 1 to " + MAX_TIMES + "\n");
    }

    /** {@code ?ttl=SECONDS}: null without one, zero for one that is not a positive number. */
    private static Duration ttl(Request request) {
        Optional<String> text = request.query("ttl");
        if (text.isEmpty()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(text.get());
            long millis = Math.round(seconds * 1000);
            return seconds > 0 && millis > 0 && Double.isFinite(seconds) ? Duration.ofMillis(millis) : Duration.ZERO;
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private static Response badTtl() {
        return Response.text(400, "ttl must be a positive number of seconds\n");
    }

    private static CompletionStage<Response> done(Response response) {
        return CompletableFuture.completedFuture(response);
    }
}
