package dev.herd.config;

/** What carries the virtual threads of the {@code virtual} model ({@code --virtual-scheduler}). */
public enum VirtualScheduler {
    /** The JDK's own scheduler: a pool of carrier threads, one per core, shared by all requests. */
    POOL,
    /** The event loop that read the request: no hand-off between threads, one core per loop. */
    LOOP
}
