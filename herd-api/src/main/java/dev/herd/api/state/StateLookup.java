package dev.herd.api.state;

import java.util.ServiceLoader;

/** Finds herd's {@link SharedStateProvider} once, from the class loader herd-api came from. */
final class StateLookup {

    static final SharedStateProvider PROVIDER = ServiceLoader
            .load(SharedStateProvider.class, SharedStateProvider.class.getClassLoader())
            .findFirst()
            .orElse(() -> {
                throw new IllegalStateException("no shared state here: SharedState is served by a herd worker");
            });

    private StateLookup() {
    }
}
