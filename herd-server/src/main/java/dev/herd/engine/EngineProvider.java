package dev.herd.engine;

import dev.herd.api.WorkerInfo;
import dev.herd.app.AppLoadException;
import dev.herd.config.Config;

/**
 * Starts an {@link Engine} in a worker. herd's own engine is built in; an engine with heavy
 * dependencies lives in its own module and is found with {@link java.util.ServiceLoader}, so a
 * worker that does not need it never loads its classes.
 */
public interface EngineProvider {

    /** The app kind it serves, as {@link AppKind#engine()} names it. */
    String name();

    /**
     * Loads the app and starts serving nothing yet: connections come through {@link Engine#listen}
     * and {@link Engine#adopt}.
     *
     * @throws AppLoadException the app cannot be loaded or deployed; its reason is one log line
     */
    Engine start(Config config, WorkerInfo worker) throws Exception;
}
