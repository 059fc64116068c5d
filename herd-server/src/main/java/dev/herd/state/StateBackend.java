package dev.herd.state;

import dev.herd.api.state.AsyncSharedState;

/**
 * A worker's connection to the shared state: the master's store ({@code local}) or Redis. Opened
 * once at boot, before the app starts, and closed when the worker exits. Its
 * {@link AsyncSharedState} is safe to call from any thread; {@link BlockingSharedState} gives apps
 * the blocking flavour on top of it.
 */
public interface StateBackend extends AutoCloseable {

    AsyncSharedState async();

    /** For logs and {@code herd ctl status}: {@code local} or the Redis URL without its password. */
    String describe();

    @Override
    void close();
}
