package dev.herd.systemd;

import dev.herd.config.BindAddress;

/**
 * A listening socket the service manager bound and passed at {@code fd}, with its name from
 * {@code $LISTEN_FDNAMES} (systemd's {@code FileDescriptorName=}; empty when none was given) and
 * the address it is bound to.
 */
public record InheritedSocket(int fd, String name, BindAddress address) {

    /** Whether {@code bind} asks for this socket: by its name ({@code fd:NAME}) or by its address. */
    public boolean matches(BindAddress bind) {
        if (bind.isInherited()) {
            return bind.fdName().equals(name);
        }
        if (bind.isUnix() || address.isUnix()) {
            return bind.isUnix() && address.isUnix() && bind.path().equals(address.path());
        }
        return bind.port() == address.port()
                && (bind.host().equals(address.host()) || isWildcard(bind.host()) && isWildcard(address.host()));
    }

    /**
     * {@code :8000} (0.0.0.0) and systemd's {@code ListenStream=8000} ([::], dual-stack) both mean
     * every interface.
     */
    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    @Override
    public String toString() {
        return "fd " + fd + (name.isEmpty() ? "" : " (" + name + ")") + " on " + address;
    }
}
