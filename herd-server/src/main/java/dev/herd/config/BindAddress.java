package dev.herd.config;

/**
 * A TCP address to listen on, as given to {@code -b/--bind}: {@code HOST:PORT},
 * {@code [IPV6]:PORT}, or {@code :PORT} for all interfaces. Port 0 asks the kernel for a free
 * port.
 */
public record BindAddress(String host, int port) {

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
            return "HOST:PORT";
        }
    };

    public static BindAddress parse(String text) {
        String s = text.trim();
        if (s.startsWith("unix:")) {
            throw new IllegalArgumentException("unix socket binds are not supported yet: '" + text + "'");
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
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

    /** The same address with the port the kernel chose. */
    public BindAddress withPort(int actualPort) {
        return new BindAddress(host, actualPort);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
