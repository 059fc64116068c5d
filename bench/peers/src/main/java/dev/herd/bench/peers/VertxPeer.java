package dev.herd.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.VerticleBase;

/**
 * Vert.x 5 with the native epoll transport: THREADS event loops, one verticle instance (and so one
 * HTTP server) per loop sharing the port. Handlers run on the event loop; /io uses a Vert.x timer.
 */
public final class VertxPeer {

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("vertx", args);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setEventLoopPoolSize(peer.threads()));
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println("vertx: the native epoll transport is not available: "
                    + vertx.unavailableNativeTransportCause());
            System.exit(1);
        }
        vertx.deployVerticle(() -> new Server(peer.port()), new DeploymentOptions().setInstances(peer.threads()))
                .await();
        peer.ready("vertx");
        Thread.currentThread().join();
    }

    private static final class Server extends VerticleBase {

        private final int port;

        Server(int port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                    .requestHandler(this::handle)
                    .listen();
        }

        private void handle(HttpServerRequest request) {
            switch (request.path()) {
                case "/hello" -> text(request, 200, "Hello, World!");
                case "/cpu" -> text(request, 200, "burned " + CpuWork.burn() + "\n");
                case "/io" -> vertx.setTimer(10, id -> text(request, 200, "waited 10 ms\n"));
                default -> text(request, 404, "Not Found\n");
            }
        }

        private static void text(HttpServerRequest request, int status, String body) {
            request.response().setStatusCode(status).putHeader("content-type", "text/plain").end(body);
        }
    }
}
