package dev.herd.config;

import java.util.List;

/**
 * An address to listen on, as given to {@code -b/--bind}: TCP as {@code HOST:PORT},
 * {@code [IPV6]:PORT}, or {@code :PORT} for all interfaces (port 0 asks the kernel for a free
 * port); or a unix socket as {@code unix:PATH}. Exactly one of the two kinds: a TCP address has
 * a host and a port and a null {@link #path}; a unix one has a path, a null host and port -1.
 */
public record BindAddress(String host, int port, String path) {

    private static final String UNIX_PREFIX = "unix:";

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
            return "HOST:PORT|unix:PATH";
        }
    };

    public BindAddress {
        if ((path == null) == (host == null)) {
            throw new IllegalArgumentException("a bind address has either a host and port or a unix path");
        }
    }

    /** A TCP address. */
    public BindAddress(String host, int port) {
        this(host, port, null);
    }

    /** A unix socket at {@code path}. */
    public static BindAddress unix(String path) {
        return new BindAddress(null, -1, path);
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

    /**
     * Whether {@code wanted} asks for the addresses in {@code have}, in order; a wanted port 0
     * matches the port it got. A reload may keep the sockets only when this holds.
     */
    public static boolean sameAddresses(List<BindAddress> wanted, List<BindAddress> have) {
        if (wanted.size() != have.size()) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            BindAddress w = wanted.get(i);
            if (!w.equals(have.get(i)) && !(w.port() == 0 && w.withPort(have.get(i).port()).equals(have.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** The same address with the port the kernel chose; a unix address is returned as it is. */
    public BindAddress withPort(int actualPort) {
        return isUnix() ? this : new BindAddress(host, actualPort);
    }

    @Override
    public String toString() {
        if (isUnix()) {
            return UNIX_PREFIX + path;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
