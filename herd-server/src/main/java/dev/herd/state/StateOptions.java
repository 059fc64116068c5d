package dev.herd.state;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What every backend is given.
 *
 * @param timeout    how long one call may wait for the store before it fails with
 *                   {@link dev.herd.api.state.StateUnavailableException} ({@code --state-timeout})
 * @param deliveries where subscribers' listeners run: one thread per worker, so each listener
 *                   sees messages in the order they were published
 */
public record StateOptions(Duration timeout, Executor deliveries) {
}
