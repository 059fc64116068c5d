package dev.herd.engine;

import dev.herd.app.AppLoadException;
import dev.herd.app.AppLoader;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.state.StateModules;
import dev.herd.config.WorkerClass;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * The master's look at the app before any worker starts (serve, reload, check-config): every
 * mistake it can find without running app code becomes one line and exit status 2, instead of
 * workers failing one after another.
 */
public final class AppCheck {

    /** System property naming herd-servlet's jar (the launcher sets it); workers of servlet apps add it. */
    public static final String SERVLET_JAR_PROPERTY = "herd.servlet.jar";

    private AppCheck() {
    }

    public static void check(Config config) throws AppLoadException {
        StateModules.jarFor(config);
        switch (AppKind.of(config)) {
            case HERD -> AppLoader.check(config.appJar(), AppLoader.effectiveClassName(config.app()),
                    config.workerClass());
            case JDK_HTTP -> checkJdkHttpApp(config);
            case SERVLET -> checkServletApp(config);
        }
    }

    private static void checkJdkHttpApp(Config config) throws AppLoadException {
        String main = config.get(Settings.MAIN);
        if (!config.app().isBlank()) {
            throw new AppLoadException("give either an app (" + config.app() + ") or --main " + main + ", not both");
        }
        if (config.workerClass() == WorkerClass.ASYNC) {
            throw new AppLoadException("--main apps run under --worker-class sync, threads or virtual, not async:"
                    + " the JDK's HttpExchange reads and writes with blocking streams");
        }
        if (config.appJar().isBlank()) {
            throw new AppLoadException("--main " + main + " needs --app-jar, the jar or classes folder holding it");
        }
        requireClassFile(config.appJar(), main, "main class");
    }

    private static void checkServletApp(Config config) throws AppLoadException {
        if (config.workerClass() == WorkerClass.ASYNC) {
            throw new AppLoadException("servlet apps run under --worker-class sync, threads or virtual, not async:"
                    + " a servlet blocks its thread, and servlet async (startAsync) already frees it while it waits");
        }
        for (BindAddress bind : config.binds()) {
            if (bind.isUnix()) {
                throw new AppLoadException("servlet apps listen on TCP addresses only; " + bind
                        + " is a unix socket (put the proxy on a loopback TCP port instead)");
            }
        }
        if (!config.get(Settings.MAIN).isEmpty()) {
            throw new AppLoadException("give either a servlet app or --main " + config.get(Settings.MAIN) + ", not both");
        }
        servletJar();
        String servlet = config.get(Settings.SERVLET);
        String app = config.app();
        if (!servlet.isEmpty()) {
            if (AppKind.isWebApp(app)) {
                throw new AppLoadException("give either a WAR (" + app + ") or --servlet " + servlet + ", not both");
            }
            if (config.appJar().isBlank()) {
                throw new AppLoadException("--servlet " + servlet + " needs --app-jar, the jar or classes folder holding it");
            }
            requireClassFile(config.appJar(), servlet, "servlet class");
            return;
        }
        Path war = Path.of(app);
        if (Files.isDirectory(war)) {
            if (!Files.isDirectory(war.resolve("WEB-INF")) && !Files.exists(war.resolve("index.html"))) {
                throw new AppLoadException(app + " is a folder without WEB-INF: not an exploded WAR");
            }
        } else if (!Files.isRegularFile(war) || !Files.isReadable(war)) {
            throw new AppLoadException("cannot read the WAR " + app);
        } else {
            try (ZipFile zip = new ZipFile(war.toFile())) {
                zip.size();
            } catch (IOException e) {
                throw new AppLoadException(app + " is not a WAR: not a zip archive (" + e.getMessage() + ")");
            }
        }
    }

    /** herd-servlet's jar, which a servlet app's workers put on their class path. */
    public static Path servletJar() throws AppLoadException {
        String jar = System.getProperty(SERVLET_JAR_PROPERTY, "");
        if (jar.isEmpty() || !Files.isReadable(Path.of(jar))) {
            throw new AppLoadException("servlet apps need the herd-servlet module, which is not built"
                    + (jar.isEmpty() ? "" : " (no " + jar + ")") + "; build it with ./build package");
        }
        return Path.of(jar);
    }

    /** The class's file is in the jar; loading it would need the servlet API, which the master does not have. */
    private static void requireClassFile(String appJar, String className, String what) throws AppLoadException {
        Path jar = Path.of(appJar);
        if (!Files.isReadable(jar)) {
            throw new AppLoadException("--app-jar: cannot read " + appJar);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null)) {
            if (loader.findResource(className.replace('.', '/') + ".class") == null) {
                throw new AppLoadException(what + " " + className + " not found in " + appJar);
            }
        } catch (IOException e) {
            throw new AppLoadException("--app-jar: cannot read " + appJar + ": " + e.getMessage());
        }
    }
}
