package dev.herd.engine;

import dev.herd.api.WorkerInfo;
import dev.herd.app.AppInstance;
import dev.herd.app.AppLoadException;
import dev.herd.app.AppLoader;
import dev.herd.config.BindAddress;
import dev.herd.metrics.HttpMetrics;
import dev.herd.config.Config;
import dev.herd.exec.ExecutionModel;
import dev.herd.http.HttpOptions;
import dev.herd.http.HttpServer;
import dev.herd.jdkhttp.JdkHttpApp;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * herd's own engine: the app is a {@code herd-api} class, run by an execution model on herd's
 * Netty HTTP server.
 */
public final class HerdEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(HerdEngine.class);

    private final AppInstance app;
    private final ExecutionModel model;
    private final HttpServer server;

    private HerdEngine(AppInstance app, ExecutionModel model, HttpServer server) {
        this.app = app;
        this.model = model;
        this.server = server;
    }

    /** Loads the app (or runs a JDK HttpServer app's main), runs its started hook, and starts the event loops. */
    public static HerdEngine start(Config config, WorkerInfo worker) throws Exception {
        AppInstance app = AppKind.of(config) == AppKind.JDK_HTTP ? JdkHttpApp.boot(config)
                : AppLoader.load(AppLoader.classLoader(config.appJar()), AppLoader.effectiveClassName(config.app()));
        ExecutionModel model = ExecutionModel.create(config, app);
        try {
            app.lifecycle().started(new WorkerInfo(worker.pid(), worker.index(), worker.generation(), model.name()));
        } catch (Exception e) {
            throw new AppLoadException("the app's started() hook failed: " + e, e);
        }
        return new HerdEngine(app, model, HttpServer.start(config.ioThreads(), model, HttpOptions.from(config)));
    }

    @Override
    public void listen(int fd, BindAddress address) throws InterruptedException {
        server.listen(fd, address);
    }

    @Override
    public void adopt(int fd, BindAddress address) {
        server.adopt(fd, address);
    }

    @Override
    public EventLoopGroup handoffLoops() {
        return server.eventLoops();
    }

    @Override
    public CompletableFuture<Void> probe() {
        return server.probeLoops().thenCompose(ignored -> model.probe());
    }

    @Override
    public long requests() {
        return server.requests();
    }

    @Override
    public int inFlight() {
        return server.inFlight();
    }

    @Override
    public int connections() {
        return server.connections();
    }

    @Override
    public HttpMetrics httpMetrics() {
        return server.metrics();
    }

    @Override
    public int streams() {
        return server.streams();
    }

    @Override
    public int webSockets() {
        return server.webSockets();
    }

    @Override
    public void drain() {
        server.drain();
    }

    @Override
    public void stopAccepting() {
        server.stopAccepting();
    }

    @Override
    public boolean awaitConnectionsClosed(Duration grace) throws InterruptedException {
        return server.awaitConnectionsClosed(grace);
    }

    @Override
    public void stop(Duration grace) {
        model.shutdown(grace);
        try {
            app.lifecycle().stopping();
        } catch (Exception e) {
            log.warn("the app's stopping() hook failed", e);
        }
        server.shutdown();
    }

    @Override
    public void reopenLogs() {
        server.reopenLogs();
    }

    @Override
    public String describe() {
        return app.className() + " with the " + model.name() + " model";
    }
}
