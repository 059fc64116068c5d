package dev.herd.servlet;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * A request whose path has empty segments ({@code ///a}, {@code /b//c}), seen by the app with
 * each run of slashes as one, as nginx's default {@code merge_slashes} does. The request is
 * valid (RFC 3986), so it is served; but servlet mappings and security constraints match on
 * the path, and a constraint on {@code /admin/*} must not be passed by asking for
 * {@code //admin/}. Requests without a double slash, nearly all, are not wrapped.
 */
final class MergedSlashes extends Request.Wrapper {

    private final HttpURI uri;

    private MergedSlashes(Request request, HttpURI uri) {
        super(request);
        this.uri = uri;
    }

    static Request of(Request request) {
        HttpURI original = request.getHttpURI();
        String path = original.getPath();
        if (path == null || !path.contains("//")) {
            return request;
        }
        HttpURI merged = HttpURI.build(original).path(path.replaceAll("/{2,}", "/")).asImmutable();
        return new MergedSlashes(request, merged);
    }

    @Override
    public HttpURI getHttpURI() {
        return uri;
    }
}
