package dev.herd.jdkhttp;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * herd's provider of the JDK's HTTP server API: a worker of a {@code --main} app names it in
 * {@code com.sun.net.httpserver.HttpServerProvider} before the app's {@code main} runs, so
 * every {@code HttpServer.create(...)} of the app, its libraries' included (Jersey's JDK
 * container, {@code SimpleFileServer}), returns a server that herd's HTTP serves.
 */
public final class HerdHttpServerProvider extends HttpServerProvider {

    @Override
    public HttpServer createHttpServer(InetSocketAddress address, int backlog) {
        return JdkHttpApp.contexts().newServer(address);
    }

    @Override
    public HttpsServer createHttpsServer(InetSocketAddress address, int backlog) throws IOException {
        throw new IOException("herd serves plain HTTP: HttpsServer is not supported; terminate TLS in a proxy"
                + " in front of herd (nginx, a load balancer)");
    }
}
