package dev.herd.jdkhttp;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The {@code HttpServer} an app gets from herd's provider. It never binds: herd's master has
 * bound the listeners, and herd's HTTP serves this server's contexts on them, in the worker's
 * execution model. {@link #start} tells the worker the app is ready; {@link #stop} stops
 * nothing but the app's view (the master decides when a worker stops).
 */
final class HerdHttpServer extends HttpServer {

    private static final Logger log = LoggerFactory.getLogger(HerdHttpServer.class);

    private final AppContexts contexts;
    private volatile InetSocketAddress requested;
    private volatile Executor executor;

    HerdHttpServer(AppContexts contexts, InetSocketAddress requested) {
        this.contexts = contexts;
        this.requested = requested;
        if (requested != null) {
            contexts.bindReplaced(requested);
        }
    }

    @Override
    public void bind(InetSocketAddress address, int backlog) {
        requested = address;
        contexts.bindReplaced(address);
    }

    @Override
    public void start() {
        contexts.started(this);
    }

    /**
     * Recorded, not used: herd's execution model decides the threads (a fixed pool under
     * {@code threads}, a virtual thread per exchange under {@code virtual}, one thread under
     * {@code sync}), so the same app scales by herd's flags alone.
     */
    @Override
    public void setExecutor(Executor executor) {
        if (executor != null && this.executor == null) {
            log.info("the app's HttpServer executor is replaced by herd's execution model (--worker-class)");
        }
        this.executor = executor;
    }

    @Override
    public Executor getExecutor() {
        return executor;
    }

    @Override
    public void stop(int delay) {
        log.info("the app stopped its HttpServer; this worker serves on until the master stops it");
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return contexts.create(path, handler, this);
    }

    @Override
    public HttpContext createContext(String path) {
        return contexts.create(path, null, this);
    }

    @Override
    public void removeContext(String path) {
        contexts.remove(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        contexts.remove(context.getPath());
    }

    /** What herd listens on; the address the app asked for is not bound. */
    @Override
    public InetSocketAddress getAddress() {
        InetSocketAddress listening = contexts.listenAddress();
        return listening != null ? listening : requested;
    }
}
