package dev.herd.bench.peers;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's three endpoints as one plain HttpServlet, served unchanged by herd's Jetty
 * workers (--servlet), standalone Jetty and standalone Tomcat: /hello, /cpu (the shared CpuWork),
 * /io (10 ms of sleep, the thread held as a blocking servlet holds it).
 */
public class BenchServlet extends HttpServlet {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        String path = request.getRequestURI();
        switch (path) {
            case "/hello" -> write(response, HELLO);
            case "/cpu" -> write(response, ("burned " + CpuWork.burn() + "\n").getBytes(StandardCharsets.US_ASCII));
            case "/io" -> {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                write(response, "waited 10 ms\n".getBytes(StandardCharsets.US_ASCII));
            }
            default -> response.sendError(404);
        }
    }

    private static void write(HttpServletResponse response, byte[] body) throws IOException {
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
