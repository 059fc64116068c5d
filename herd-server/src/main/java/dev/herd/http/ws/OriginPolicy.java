package dev.herd.http.ws;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pages may open a WebSocket ({@code --ws-origins}). A browser sends the page's origin with
 * every upgrade and lets any page open a WebSocket to any site, with the user's cookies: without
 * this check a hostile page could act as the user (cross-site WebSocket hijacking). Clients that
 * are not browsers send no {@code Origin} and are let through: they could send any value anyway.
 */
public final class OriginPolicy {

    private final boolean any;
    private final boolean same;
    private final Set<String> listed;

    private OriginPolicy(boolean any, boolean same, Set<String> listed) {
        this.any = any;
        this.same = same;
        this.listed = listed;
    }

    /** @param entries 'same', '*' or exact origins ({@code https://app.example.com}) */
    public static OriginPolicy of(List<String> entries) {
        return new OriginPolicy(entries.contains("*"), entries.contains("same"),
                entries.stream().filter(e -> !e.equals("*") && !e.equals("same"))
                        .map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
    }

    /**
     * @param origin the request's {@code Origin}, or null
     * @param host   the request's {@code Host}, or null
     */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        if (listed.contains(lower)) {
            return true;
        }
        return same && host != null && sameHost(lower, host.toLowerCase(Locale.ROOT));
    }

    /** Whether the origin's host and port are the Host header's (default ports filled in). */
    private static boolean sameHost(String origin, String host) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        int defaultPort = uri.getScheme().equals("https") ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String hostName = host;
        int hostPort = defaultPort;
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            hostName = host.substring(0, colon);
            try {
                hostPort = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return uri.getHost().equals(hostName) && originPort == hostPort;
    }
}
