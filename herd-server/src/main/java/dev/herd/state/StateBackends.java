package dev.herd.state;

import dev.herd.app.AppLoadException;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.state.local.LocalStateClient;
import dev.herd.state.local.StateServer;

import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Opens the worker's {@link StateBackend} that {@code --state} names, at boot. */
public final class StateBackends {

    private StateBackends() {
    }

    /**
     * Connects this worker to its shared state and makes it {@link dev.herd.api.state.SharedState#current()}.
     *
     * @throws AppLoadException the backend's module is missing, or the master's store cannot be reached
     */
    public static StateBackend open(Config config, Path controlSocket) throws AppLoadException, InterruptedException {
        // Subscribers hear messages on one thread per worker, in the order they were published.
        ExecutorService deliveries = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("herd-state-subscribers").factory());
        StateOptions options = new StateOptions(config.get(Settings.STATE_TIMEOUT), deliveries);
        String state = config.get(Settings.STATE);
        StateBackend backend;
        if (state.equals("local")) {
            backend = LocalStateClient.connect(StateServer.socketFor(controlSocket), options);
        } else {
            URI uri = URI.create(state);
            StateBackendProvider provider = ServiceLoader.load(StateBackendProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.scheme().equals(uri.getScheme()))
                    .findFirst()
                    .orElseThrow(() -> new AppLoadException("--state " + uri.getScheme()
                            + ": the herd-" + uri.getScheme() + " module is not on this worker's class path"));
            try {
                backend = provider.open(uri, options);
            } catch (Exception e) {
                throw new AppLoadException("--state: cannot open " + uri.getScheme() + " state: " + e.getMessage());
            }
        }
        WorkerState.install(new BlockingSharedState(backend.async(), options.timeout()));
        return new StateBackend() {
            @Override
            public dev.herd.api.state.AsyncSharedState async() {
                return backend.async();
            }

            @Override
            public String describe() {
                return backend.describe();
            }

            @Override
            public void close() {
                backend.close();
                deliveries.shutdownNow();
            }
        };
    }
}
