package dev.herd.config;

import java.util.List;

/**
 * An address to listen on, as given to {@code -b/--bind}: TCP as {@code HOST:PORT},
 * {@code [IPV6]:PORT}, or {@code :PORT} for all interfaces (port 0 asks the kernel for a free
 * port); or a unix socket as {@code unix:PATH}; or {@code fd:NAME}, a socket the service manager
 * passed (systemd's {@code FileDescriptorName=}, see {@code dev.herd.systemd.SocketActivation}).
 * Exactly one of the three kinds: a TCP address has a host and a port; a unix one a path and port
 * -1; an inherited one a {@link #fdName} and port -1. The master replaces an inherited one with
 * the socket's real address once it has adopted it, so workers only ever see the first two.
 */
public record BindAddress(String host, int port, String path, String fdName) {

    private static final String UNIX_PREFIX = "unix:";
    private static final String FD_PREFIX = "fd:";

    public static final ValueType<BindAddress> TYPE = new ValueType<>() {
        @Override
        public BindAddress parse(String text) {
            return BindAddress.parse(text);
        }

        @Override
        public String format(BindAddress value) {
            return value.toString();
        }

        @Override
        public String label() {
            return "HOST:PORT|unix:PATH|fd:NAME";
        }
    };

    public BindAddress {
        if ((host != null ? 1 : 0) + (path != null ? 1 : 0) + (fdName != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("a bind address has either a host and port, a unix path or an fd name");
        }
    }

    /** A TCP address. */
    public BindAddress(String host, int port) {
        this(host, port, null, null);
    }

    /** A unix socket at {@code path}. */
    public static BindAddress unix(String path) {
        return new BindAddress(null, -1, path, null);
    }

    /** The inherited socket named {@code name}. */
    public static BindAddress inherited(String name) {
        return new BindAddress(null, -1, null, name);
    }

    public static BindAddress parse(String text) {
        String s = text.trim();
        if (s.startsWith(UNIX_PREFIX)) {
            String path = s.substring(UNIX_PREFIX.length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("expected unix:PATH, got '" + text + "'");
            }
            return unix(path);
        }
        if (s.startsWith(FD_PREFIX)) {
            String name = s.substring(FD_PREFIX.length());
            if (name.isEmpty() || name.contains(":")) {
                throw new IllegalArgumentException("expected fd:NAME (a name from $LISTEN_FDNAMES), got '" + text + "'");
            }
            return inherited(name);
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT or unix:PATH, got '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write IPv6 addresses in brackets, e.g. [::1]:8000, got '" + text + "'");
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535 in '" + text + "'");
        }
        return new BindAddress(host, port);
    }

    public boolean isUnix() {
        return path != null;
    }

    /** Names a socket the service manager passed, not an address to bind. */
    public boolean isInherited() {
        return fdName != null;
    }

    /**
     * Whether {@code wanted} asks for the addresses in {@code have}, in order; a wanted port 0
     * matches the port it got; an inherited socket's name matches what it was adopted as (the
     * inherited sockets are the same for the master's whole life). A reload may keep the sockets
     * only when this holds.
     */
    public static boolean sameAddresses(List<BindAddress> wanted, List<BindAddress> have) {
        if (wanted.size() != have.size()) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            BindAddress w = wanted.get(i);
            if (w.isInherited()) {
                continue;
            }
            if (!w.equals(have.get(i)) && !(w.port() == 0 && w.withPort(have.get(i).port()).equals(have.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** The same address with the port the kernel chose; a unix address is returned as it is. */
    public BindAddress withPort(int actualPort) {
        return host == null ? this : new BindAddress(host, actualPort);
    }

    @Override
    public String toString() {
        if (isUnix()) {
            return UNIX_PREFIX + path;
        }
        if (isInherited()) {
            return FD_PREFIX + fdName;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
