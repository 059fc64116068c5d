package dev.herd.bench.peers;

import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.Arrays;

/**
 * Standalone embedded Jetty 12.1 (ee11), as its documentation sets it up: BenchServlet at /*,
 * or a WAR (third argument) deployed by WebAppContext. THREADS request threads: the pool has
 * them plus the connector's acceptor and selector.
 */
public final class JettyPeer {

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("jetty", Arrays.copyOf(args, 2));
        QueuedThreadPool pool = new QueuedThreadPool(peer.threads() + 2, Math.min(8, peer.threads() + 2));
        pool.setName("jetty");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(peer.port());
        server.addConnector(connector);
        if (args.length > 2) {
            WebAppContext webApp = new WebAppContext();
            webApp.setWar(args[2]);
            webApp.setContextPath("/");
            server.setHandler(webApp);
        } else {
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(BenchServlet.class, "/*");
            server.setHandler(context);
        }
        server.start();
        peer.ready("jetty");
    }
}
