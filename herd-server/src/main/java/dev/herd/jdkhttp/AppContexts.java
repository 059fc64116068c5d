package dev.herd.jdkhttp;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every context of every {@code HttpServer} the app made in this worker, in one table: herd's
 * listeners serve them all. A request goes to the context with the longest path that its path
 * starts with, as the JDK's own server matches.
 */
final class AppContexts {

    private static final Logger log = LoggerFactory.getLogger(AppContexts.class);

    /** Longest path first, so the first prefix that matches is the longest. */
    private final Map<String, HerdHttpContext> byPath = new ConcurrentSkipListMap<>(
            (a, b) -> a.length() != b.length() ? Integer.compare(b.length(), a.length()) : a.compareTo(b));
    private final CompletableFuture<HttpServer> started = new CompletableFuture<>();
    private final AtomicBoolean bindLogged = new AtomicBoolean();
    private final InetSocketAddress listenAddress;

    AppContexts(InetSocketAddress listenAddress) {
        this.listenAddress = listenAddress;
    }

    HerdHttpServer newServer(InetSocketAddress requested) {
        return new HerdHttpServer(this, requested);
    }

    HerdHttpContext create(String path, HttpHandler handler, HttpServer server) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a context path must start with /: " + path);
        }
        HerdHttpContext context = new HerdHttpContext(path, handler, server);
        if (byPath.putIfAbsent(path, context) != null) {
            throw new IllegalArgumentException("cannot add context to list: " + path + " exists");
        }
        return context;
    }

    void remove(String path) {
        if (byPath.remove(path) == null) {
            throw new IllegalArgumentException("cannot remove element from list: no context " + path);
        }
    }

    /** The context for a request path, or null (404). */
    HerdHttpContext find(String path) {
        for (Map.Entry<String, HerdHttpContext> entry : byPath.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }

    void bindReplaced(InetSocketAddress requested) {
        if (bindLogged.compareAndSet(false, true)) {
            log.info("the app's HttpServer asks for {}; herd serves it on its own listeners instead", requested);
        }
    }

    void started(HttpServer server) {
        started.complete(server);
    }

    /** Completes when the app starts its first HttpServer. */
    CompletableFuture<HttpServer> whenStarted() {
        return started;
    }

    InetSocketAddress listenAddress() {
        return listenAddress;
    }
}
