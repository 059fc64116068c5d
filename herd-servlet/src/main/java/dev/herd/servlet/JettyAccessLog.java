package dev.herd.servlet;

import dev.herd.http.AccessLog;
import dev.herd.http.AccessLogEntry;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Jetty's requests in herd's access log: the same file, the same {@code --access-log-format}
 * (Gunicorn's atoms), the same escaping, so a log reader does not care which engine served.
 * The line is made by herd's formatter, which reads a request and a response as herd's own
 * HTTP has them; this copies Jetty's into that shape once per request, off the I/O path.
 */
final class JettyAccessLog implements RequestLog {

    private final AccessLog log;
    private final TrustedForwarding forwarding;

    JettyAccessLog(AccessLog log, TrustedForwarding forwarding) {
        this.log = log;
        this.forwarding = forwarding;
    }

    @Override
    public void log(Request request, Response response) {
        HttpVersion version = request.getConnectionMetaData().getHttpVersion() == org.eclipse.jetty.http.HttpVersion.HTTP_1_0
                ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        DefaultHttpRequest line = new DefaultHttpRequest(version, HttpMethod.valueOf(request.getMethod()),
                request.getHttpURI().getPathQuery());
        copy(request.getHeaders(), line.headers());
        DefaultHttpResponse status = new DefaultHttpResponse(version, HttpResponseStatus.valueOf(response.getStatus()));
        copy(response.getHeaders(), status.headers());
        SocketAddress remote = forwarding.client(request);
        long nanos = System.nanoTime() - request.getBeginNanoTime();
        log.log(new AccessLogEntry(line, remote instanceof InetSocketAddress inet ? inet : null, status,
                Response.getContentBytesWritten(response), nanos));
    }

    private static void copy(HttpFields from, HttpHeaders to) {
        for (HttpField field : from) {
            if (field.getValue() != null) {
                to.add(field.getName(), field.getValue());
            }
        }
    }
}
