package dev.herd.engine;

import dev.herd.config.Config;
import dev.herd.config.Settings;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What kind of app a configuration names, which decides the engine its workers run: an app
 * class written against herd-api, an app on the JDK's HttpServer API ({@code --main}), or a
 * servlet app (a WAR file, an exploded WAR folder, or a servlet class given with
 * {@code --servlet}).
 */
public enum AppKind {
    HERD("herd"),
    /** An app on the JDK's HttpServer API, run by its {@code main}: served by herd's own engine. */
    JDK_HTTP("herd"),
    SERVLET("servlet");

    private final String engine;

    AppKind(String engine) {
        this.engine = engine;
    }

    /** The name of the {@link EngineProvider} that serves it. */
    public String engine() {
        return engine;
    }

    public static AppKind of(Config config) {
        if (!config.get(Settings.SERVLET).isEmpty() || isWebApp(config.app())) {
            return SERVLET;
        }
        return config.get(Settings.MAIN).isEmpty() ? HERD : JDK_HTTP;
    }

    /** A WAR file or an exploded WAR folder: a path ending in .war, or a folder. */
    public static boolean isWebApp(String app) {
        if (app == null || app.isBlank()) {
            return false;
        }
        return app.endsWith(".war") || app.contains("/") || Files.isDirectory(Path.of(app));
    }
}
