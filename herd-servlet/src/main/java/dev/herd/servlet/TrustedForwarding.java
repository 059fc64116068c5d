package dev.herd.servlet;

import dev.herd.http.ForwardedHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * {@code Forwarded}, {@code X-Forwarded-For} and {@code X-Forwarded-Proto} believed only from
 * the peers in {@code --forwarded-allow-ips}, by the same rules as herd's own HTTP
 * ({@link ForwardedHeaders}). Jetty's {@code ForwardedRequestCustomizer} would believe anyone;
 * this gives the servlet the client's address ({@code getRemoteAddr}) and scheme
 * ({@code getScheme}, {@code isSecure}) only when a trusted proxy said so.
 */
final class TrustedForwarding implements HttpConfiguration.Customizer {

    private static final List<String> NAMES = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto");

    private final ForwardedHeaders forwarded;

    TrustedForwarding(List<String> allowIps) {
        this.forwarded = new ForwardedHeaders(allowIps);
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        ForwardedHeaders.Origin origin = origin(request);
        return origin == null ? request : new Forwarded(request, origin);
    }

    /** The client's address as a trusted proxy gives it, else the peer's. */
    SocketAddress client(Request request) {
        ForwardedHeaders.Origin origin = origin(request);
        return origin == null || origin.remoteAddress() == null
                ? request.getConnectionMetaData().getRemoteSocketAddress() : origin.remoteAddress();
    }

    /** Who a trusted proxy says the client is; null when nobody trusted said anything different. */
    private ForwardedHeaders.Origin origin(Request request) {
        HttpFields fields = request.getHeaders();
        HttpHeaders relevant = null;
        for (String name : NAMES) {
            for (HttpField field : fields.getFields(name)) {
                if (relevant == null) {
                    relevant = new DefaultHttpHeaders();
                }
                relevant.add(name, field.getValue());
            }
        }
        if (relevant == null) {
            return null;
        }
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        InetSocketAddress peer = remote instanceof InetSocketAddress inet ? inet : null;
        ForwardedHeaders.Origin origin = forwarded.resolve(peer, false, relevant);
        boolean sameClient = origin.remoteAddress() == null || origin.remoteAddress().equals(peer);
        boolean sameScheme = origin.scheme().equals(request.getHttpURI().getScheme());
        return sameClient && sameScheme ? null : origin;
    }

    /** The request as the trusted proxy describes it. */
    private static final class Forwarded extends Request.Wrapper {
        private final HttpURI uri;
        private final boolean secure;
        private final ConnectionMetaData metaData;

        Forwarded(Request request, ForwardedHeaders.Origin origin) {
            super(request);
            this.uri = HttpURI.build(request.getHttpURI()).scheme(origin.scheme()).asImmutable();
            this.secure = origin.scheme().equals("https");
            InetSocketAddress client = origin.remoteAddress();
            this.metaData = client == null ? request.getConnectionMetaData()
                    : new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
                        @Override
                        public SocketAddress getRemoteSocketAddress() {
                            return client;
                        }
                    };
        }

        @Override
        public HttpURI getHttpURI() {
            return uri;
        }

        @Override
        public boolean isSecure() {
            return secure || super.isSecure();
        }

        @Override
        public ConnectionMetaData getConnectionMetaData() {
            return metaData;
        }
    }
}
