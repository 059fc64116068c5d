package dev.herd.http;

import dev.herd.metrics.HttpMetrics;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.net.InetSocketAddress;

/**
 * Where an answered request is told: the worker's metrics, and a line in the access log. Every
 * way a request ends (the app's response, a file, a refusal before the app, a WebSocket's 101)
 * goes through here once.
 */
final class ExchangeLog {

    private final HttpMetrics metrics;
    private final AccessLog accessLog;

    ExchangeLog(HttpMetrics metrics, AccessLog accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    /**
     * @param request  null for a request that could not be read
     * @param response null when none went out
     * @param route    the app's name for its route, or null
     */
    void answered(HttpRequest request, InetSocketAddress client, HttpResponse response, long bodyBytes,
                  long elapsedNanos, String route) {
        metrics.answered(request == null ? "_OTHER" : request.method().name(),
                response == null ? 0 : response.status().code(), route, requestBodyBytes(request), bodyBytes,
                elapsedNanos);
        if (accessLog.enabled()) {
            accessLog.log(new AccessLogEntry(request, client, response, bodyBytes, elapsedNanos));
        }
    }

    /** As the request declared it: its Content-Length, none for a request without a body, -1 for a chunked one. */
    private static long requestBodyBytes(HttpRequest request) {
        if (request == null) {
            return -1;
        }
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) ? -1 : 0;
    }
}
