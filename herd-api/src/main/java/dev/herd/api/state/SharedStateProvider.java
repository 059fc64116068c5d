package dev.herd.api.state;

/**
 * How {@link SharedState#current()} finds the store: herd's worker provides it through
 * {@link java.util.ServiceLoader}. Apps do not implement this.
 */
@FunctionalInterface
public interface SharedStateProvider {

    SharedState sharedState();
}
