package dev.herd.config;

/** How new connections reach the workers ({@code --balance}). See docs/balancing.md. */
public enum Balance {
    /** Every worker accepts on the one listening socket; whoever wakes first takes the connection. */
    SHARED,
    /** One SO_REUSEPORT socket per worker slot, held by the master; the kernel spreads by hash. */
    REUSEPORT,
    /** The master accepts and hands each connection's descriptor to the least busy worker. */
    LEAST_BUSY
}
