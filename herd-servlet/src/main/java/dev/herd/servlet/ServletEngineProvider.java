package dev.herd.servlet;

import dev.herd.api.WorkerInfo;
import dev.herd.config.Config;
import dev.herd.engine.Engine;
import dev.herd.engine.EngineProvider;

/** Found by herd's workers through {@link java.util.ServiceLoader} when the app is a servlet app. */
public final class ServletEngineProvider implements EngineProvider {

    @Override
    public String name() {
        return "servlet";
    }

    @Override
    public Engine start(Config config, WorkerInfo worker) throws Exception {
        return JettyEngine.start(config);
    }
}
