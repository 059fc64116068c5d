package dev.herd.it.jdk;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A small app on the JDK's API alone: contexts, a filter, basic authentication, a body streamed
 * back as it arrives, a chunked response written over time, and an executor of its own.
 */
public class PlainMain {

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
        HttpContext root = server.createContext("/", exchange -> {
            String body = "pid " + ProcessHandle.current().pid() + " path " + exchange.getRequestURI()
                    + " thread " + (Thread.currentThread().isVirtual() ? "virtual" : "platform");
            send(exchange, 200, body);
        });
        root.getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                exchange.getResponseHeaders().add("X-Filtered", "yes");
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "adds X-Filtered";
            }
        });
        server.createContext("/echo", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: the length is not known
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        });
        server.createContext("/ticks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 1; i <= 3; i++) {
                    out.write(("tick " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.createContext("/secret", exchange -> send(exchange, 200,
                "hello " + exchange.getPrincipal().getUsername())).setAuthenticator(new BasicAuthenticator("herd") {
                    @Override
                    public boolean checkCredentials(String user, String password) {
                        return user.equals("ada") && password.equals("lovelace");
                    }
                });
        server.createContext("/nothing", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
