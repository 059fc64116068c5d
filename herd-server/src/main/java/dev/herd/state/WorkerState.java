package dev.herd.state;

import dev.herd.api.state.SharedState;
import dev.herd.api.state.SharedStateProvider;

/**
 * What {@link SharedState#current()} returns in a worker: set once at boot, before the app is
 * loaded. Found by herd-api through {@link java.util.ServiceLoader}.
 */
public final class WorkerState implements SharedStateProvider {

    private static volatile SharedState current;

    public static void install(SharedState state) {
        current = state;
    }

    @Override
    public SharedState sharedState() {
        SharedState state = current;
        if (state == null) {
            throw new IllegalStateException("no shared state yet: the worker connects to it before the app starts");
        }
        return state;
    }
}
