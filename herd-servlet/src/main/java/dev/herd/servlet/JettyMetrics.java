package dev.herd.servlet;

import dev.herd.metrics.HttpMetrics;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** Jetty's answered requests in herd's HTTP metrics, the same series as herd's own engine makes. */
final class JettyMetrics {

    private JettyMetrics() {
    }

    /** From Jetty's request log, which runs once per request after its response is complete. */
    static void answered(HttpMetrics metrics, Request request, Response response) {
        long length = request.getLength();
        metrics.answered(request.getMethod(), response.getStatus(), null, length, Response.getContentBytesWritten(response),
                System.nanoTime() - request.getBeginNanoTime());
    }
}
