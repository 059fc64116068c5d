package dev.herd.engine;

import dev.herd.api.WorkerInfo;
import dev.herd.app.AppLoadException;
import dev.herd.config.Config;

import java.util.ServiceLoader;

/** Picks and starts the engine for a configuration's app. */
public final class Engines {

    private Engines() {
    }

    public static Engine start(Config config, WorkerInfo worker) throws Exception {
        AppKind kind = AppKind.of(config);
        if (kind.engine().equals("herd")) {
            return HerdEngine.start(config, worker);
        }
        return provider(kind).start(config, worker);
    }

    /** The provider of an engine in its own module, or an error naming what is missing. */
    static EngineProvider provider(AppKind kind) throws AppLoadException {
        for (EngineProvider provider : ServiceLoader.load(EngineProvider.class)) {
            if (provider.name().equals(kind.engine())) {
                return provider;
            }
        }
        throw new AppLoadException(kind.engine() + " apps need the herd-" + kind.engine()
                + " module, which is not on this worker's class path (build it: ./build package)");
    }
}
