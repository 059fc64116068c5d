package dev.herd.servlet;

import dev.herd.app.AppLoadException;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.engine.Engine;
import dev.herd.http.AccessLog;
import dev.herd.metrics.HttpMetrics;
import dev.herd.servlet.session.SharedSessions;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A servlet app's worker: an embedded Jetty serving on the sockets herd's master hands over.
 * Jetty never binds: a listening socket the master bound becomes a connector's accept channel
 * ({@link ServerConnector#open(ServerSocketChannel)}), and a connection the master accepted
 * ({@code --balance least-busy}) enters through the connector's selector manager, as one Jetty
 * had accepted itself. Around the app sit herd's own promises: {@link WorkerHandler} (counts,
 * limits, drain, request timeout), {@link RequestGate} (the execution model), herd's access log
 * and forwarded-header trust.
 */
final class JettyEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(JettyEngine.class);

    private final Server server;
    private final JettyThreads threads;
    private final WorkerHandler worker;
    private final RequestGate gate;
    private final HttpConnectionFactory http;
    private final AccessLog accessLog;
    private final HttpMetrics metrics;
    private final HandedOverChannels channels;
    private final String description;
    private final Duration drainIdle;
    private final int ioThreads;
    /**
     * Jetty has one idle timeout per connection, for waiting between requests and within one:
     * --keep-alive, or --read-timeout when keep-alive is off.
     */
    private final long idleMillis;
    private final List<ServerConnector> connectors = new CopyOnWriteArrayList<>();
    private final List<ServerSocketChannel> listening = new CopyOnWriteArrayList<>();
    private final AcceptsInProgress accepting = new AcceptsInProgress();
    /** The connector that serves handed-over connections; made on the first one. */
    private volatile ServerConnector handoffConnector;

    private JettyEngine(Server server, JettyThreads threads, WorkerHandler worker, RequestGate gate,
                        HttpConnectionFactory http, AccessLog accessLog, HttpMetrics metrics,
                        HandedOverChannels channels,
                        String description, Duration drainIdle, int ioThreads, long idleMillis) {
        this.server = server;
        this.threads = threads;
        this.worker = worker;
        this.gate = gate;
        this.http = http;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.channels = channels;
        this.description = description;
        this.drainIdle = drainIdle;
        this.ioThreads = ioThreads;
        this.idleMillis = idleMillis;
    }

    /** Deploys the app on a Jetty with no connector yet; a deployment that fails throws. */
    static JettyEngine start(Config config) throws Exception {
        HandedOverChannels channels = HandedOverChannels.check();
        JettyThreads threads = JettyThreads.of(config);
        Server server = new Server(threads.pool());
        server.setStopTimeout(0); // herd drains before stopping; stop is then quick
        server.setErrorHandler(new CompactErrors());
        SharedSessions.ids(server);

        HttpMetrics metrics = new HttpMetrics(config.get(Settings.METRICS));
        TrustedForwarding forwarding = new TrustedForwarding(config.forwardedAllowIps());
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendXPoweredBy(false);
        // Jetty has one limit for the request line and every field together; WorkerHandler then
        // applies herd's per-line and per-field limits exactly.
        int line = config.get(Settings.LIMIT_REQUEST_LINE);
        int fields = config.get(Settings.LIMIT_REQUEST_FIELDS);
        int fieldSize = config.get(Settings.LIMIT_REQUEST_FIELD_SIZE);
        httpConfig.setRequestHeaderSize((int) Math.min(Integer.MAX_VALUE - 1, line + 2L + (long) fields * (fieldSize + 2)));
        httpConfig.setPersistentConnectionsEnabled(!config.keepAlive().isZero());
        // RFC 9112 section 3.2.2: a request in absolute form names its host in its target, and the
        // Host field is ignored; Jetty's default refuses the two when they differ (400).
        httpConfig.setHttpCompliance(HttpCompliance.RFC9110.with("herd", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        // RFC 3986 allows empty path segments (///a, //user@host/p as a path): they are valid
        // requests, which herd's own HTTP serves too. Jetty's default refuses them as ambiguous
        // (400), since a security constraint on /admin/* would not match //admin/; WorkerHandler
        // merges the slashes (as nginx does by default) before the app and its constraints see them.
        httpConfig.setUriCompliance(UriCompliance.DEFAULT.with("herd", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
        httpConfig.addCustomizer(forwarding);
        HttpConnectionFactory http = StrictHttpConnection.factory(httpConfig);

        WorkerHandler worker = new WorkerHandler(new WorkerHandler.Limits(line, fields, fieldSize),
                config.requestTimeout(), server.getScheduler());
        RequestGate gate = new RequestGate(threads.appLimit(), threads.appExecutor(), metrics,
                config.get(Settings.MAX_QUEUE), config.get(Settings.QUEUE_TIMEOUT), server.getScheduler());
        ContextHandler app = ServletApp.context(config);
        int maxBody = config.get(Settings.LIMIT_REQUEST_BODY);
        gate.setHandler(new SizeLimitHandler(maxBody == 0 ? -1 : maxBody, -1));
        ((SizeLimitHandler) gate.getHandler()).setHandler(app);
        // Bodies are read before the request waits for an app thread; never past the body limit.
        long buffered = maxBody == 0 ? config.get(Settings.BODY_BUFFER) : Math.min(maxBody, config.get(Settings.BODY_BUFFER));
        BodyBuffer bodies = new BodyBuffer(buffered);
        bodies.setHandler(gate);
        worker.setHandler(bodies);
        server.setHandler(worker);

        AccessLog accessLog = AccessLog.open(config.accessLog(), config.accessLogFormat());
        JettyAccessLog lines = accessLog.enabled() ? new JettyAccessLog(accessLog, forwarding) : null;
        server.setRequestLog((request, response) -> {
            JettyMetrics.answered(metrics, request, response);
            if (lines != null) {
                lines.log(request, response);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new AppLoadException("cannot deploy " + ServletApp.describe(config) + ": " + rootCause(e), e);
        }
        if (!app.isAvailable()) {
            Throwable why = app instanceof org.eclipse.jetty.ee11.webapp.WebAppContext webApp
                    ? webApp.getUnavailableException() : null;
            stopQuietly(server);
            throw new AppLoadException("cannot deploy " + ServletApp.describe(config) + ": "
                    + (why == null ? "the context is unavailable (see Jetty's messages above)" : rootCause(why)), why);
        }
        Duration keepAlive = config.keepAlive();
        Duration oneSecond = Duration.ofSeconds(1);
        Duration drainIdle = keepAlive.isZero() || keepAlive.compareTo(oneSecond) > 0 ? oneSecond : keepAlive;
        return new JettyEngine(server, threads, worker, gate, http, accessLog, metrics, channels,
                ServletApp.describe(config) + " on Jetty with the " + threads.modelName() + " model",
                drainIdle, config.ioThreads(),
                (keepAlive.isZero() ? config.readTimeout() : keepAlive).toMillis());
    }

    /** The innermost cause's message: what a deployment error is really about. */
    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getName() + (message == null ? "" : ": " + message.strip().replace('\n', ' '));
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // Already failing; the deployment error is what gets reported.
        }
    }


    @Override
    public void listen(int fd, BindAddress address) throws Exception {
        ServerSocketChannel channel = channels.listening(fd);
        // No acceptor thread: the selector accepts, non-blocking, as herd's own workers do. A
        // blocking accept would change the shared socket's mode for every process that holds it.
        ServerConnector connector = new ServerConnector(server, 0, ioThreads, http);
        connector.setIdleTimeout(idleMillis);
        connector.setAcceptedTcpNoDelay(true);
        connector.addEventListener(accepting);
        connector.open(channel);
        listening.add(channel);
        connectors.add(connector);
        server.addConnector(connector);
        if (!connector.isStarted()) {
            connector.start();
        }
    }

    @Override
    public void adopt(int fd, BindAddress address) {
        try {
            SocketChannel channel = channels.connected(fd);
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            handoffConnector().getSelectorManager().accept(channel);
        } catch (Exception e) {
            log.warn("cannot serve a connection the master handed over: {}", e.toString());
        }
    }

    /**
     * A connector without an accept channel, for connections the master accepted. Jetty's
     * connector expects one to accept on; with one acceptor that is never let accept, it has
     * none and waits, and connections enter through its selector manager.
     */
    private synchronized ServerConnector handoffConnector() throws Exception {
        if (handoffConnector == null) {
            ServerConnector connector = new ServerConnector(server, 1, ioThreads, http) {
                @Override
                public void open() {
                    // Nothing to bind: every connection comes from the master.
                }
            };
            connector.setIdleTimeout(idleMillis);
            connector.addEventListener(accepting);
            connector.setAccepting(false);
            connectors.add(connector);
            server.addConnector(connector);
            if (!connector.isStarted()) {
                connector.start();
            }
            handoffConnector = connector;
        }
        return handoffConnector;
    }

    @Override
    public CompletableFuture<Void> probe() {
        return gate.probe();
    }

    @Override
    public long requests() {
        return worker.requests();
    }

    @Override
    public int inFlight() {
        return worker.inFlight();
    }

    @Override
    public HttpMetrics httpMetrics() {
        return metrics;
    }

    @Override
    public int connections() {
        int open = accepting.count();
        for (ServerConnector connector : connectors) {
            open += connector.getConnectedEndPoints().size();
        }
        return open;
    }

    @Override
    public void drain() {
        worker.drain();
        stopAccepting();
        // Connections between requests get a moment to send one more (answered with
        // Connection: close); the busy ones close after their response.
        for (ServerConnector connector : connectors) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (!worker.isBusy(endPoint)) {
                    endPoint.setIdleTimeout(drainIdle.toMillis());
                }
            }
        }
    }

    /**
     * Stops the selectors accepting, then closes this worker's copies of the listening sockets.
     * In that order, and only once every selector has taken the stop: a selector accepts a burst
     * of connections in one go, and if the channel closed under it mid-burst, Jetty would close
     * the connection it had just accepted too (its client would see a reset).
     */
    @Override
    public void stopAccepting() {
        for (ServerConnector connector : connectors) {
            if (connector != handoffConnector) {
                connector.setAccepting(false);
            }
        }
        awaitSelectors();
        for (ServerSocketChannel channel : listening) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // This worker's copy only; the master keeps the socket.
            }
        }
    }

    /**
     * Waits until every selector has gone once round its loop since accepting stopped: it
     * accepts no more, and what it accepted before is counted in {@link #connections()}, so the
     * drain cannot miss it.
     */
    private void awaitSelectors() {
        List<ManagedSelector> selectors = new ArrayList<>();
        for (ServerConnector connector : connectors) {
            selectors.addAll(connector.getSelectorManager().getBeans(ManagedSelector.class));
        }
        CountDownLatch turned = new CountDownLatch(selectors.size());
        for (ManagedSelector selector : selectors) {
            selector.submit(ignored -> turned.countDown());
        }
        try {
            if (!turned.await(1, TimeUnit.SECONDS)) {
                log.debug("a selector did not come round within 1 s of the drain");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean awaitConnectionsClosed(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (connections() > 0 || worker.inFlight() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void stop(Duration grace) {
        try {
            server.stop(); // destroys the servlets: the app's own stop hooks
        } catch (Exception e) {
            log.warn("Jetty did not stop cleanly: {}", e.toString());
        }
        threads.shutdown();
        accessLog.close();
    }

    @Override
    public void reopenLogs() {
        accessLog.reopen();
    }

    @Override
    public String describe() {
        return description;
    }
}
