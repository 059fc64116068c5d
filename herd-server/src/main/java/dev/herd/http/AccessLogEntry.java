package dev.herd.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.net.InetSocketAddress;

/**
 * What the access log knows about one answered request.
 *
 * @param request       the request as received; null when its request line was never read
 * @param remoteAddress the client (after trusted forwarding headers); null for a unix socket peer
 * @param response      the response as sent (status and headers)
 * @param bodyBytes     bytes of response body sent
 * @param durationNanos from the complete request to the response written
 */
public record AccessLogEntry(HttpRequest request, InetSocketAddress remoteAddress, HttpResponse response, long bodyBytes,
                      long durationNanos) {
}
