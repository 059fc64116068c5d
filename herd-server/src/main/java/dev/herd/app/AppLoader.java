package dev.herd.app;

import dev.herd.api.AsyncHandler;
import dev.herd.api.Handler;
import dev.herd.config.WorkerClass;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the app class and makes its instance. The master uses {@link #check} before any worker
 * starts, which loads the class without initializing it, so no app code runs in the master.
 * Workers use {@link #load}.
 */
public final class AppLoader {

    /** Served when no app is named. */
    public static final String DEMO_APP = "dev.herd.demo.DemoApp";

    private AppLoader() {
    }

    /** The class name to serve: the named one, or the demo. */
    public static String effectiveClassName(String app) {
        return app == null || app.isBlank() ? DEMO_APP : app;
    }

    /**
     * Checks, without running app code, that {@code className} in {@code appJar} is an app the
     * execution model can run.
     */
    public static void check(String appJar, String className, WorkerClass model) throws AppLoadException {
        ClassLoader loader = classLoader(appJar);
        Class<?> type = find(loader, className, false);
        if (model == WorkerClass.ASYNC && !AsyncHandler.class.isAssignableFrom(type)) {
            throw new AppLoadException("app class " + className + " does not implement dev.herd.api.AsyncHandler,"
                    + " which --worker-class async needs; use sync, threads or virtual for a blocking Handler");
        }
    }

    /** Loads, initializes and constructs the app (in a worker). */
    public static AppInstance load(ClassLoader loader, String className) throws AppLoadException {
        Class<?> type = find(loader, className, true);
        try {
            Object app = type.getConstructor().newInstance();
            return AppInstance.of(app);
        } catch (InvocationTargetException e) {
            throw new AppLoadException("app class " + className + " failed in its constructor: " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new AppLoadException("cannot construct app class " + className + ": " + e, e);
        }
    }

    /**
     * A class loader for the app jar (or classes directory) whose parent holds herd and its API,
     * or herd's own loader when there is no jar.
     */
    public static ClassLoader classLoader(String appJar) throws AppLoadException {
        ClassLoader parent = AppLoader.class.getClassLoader();
        if (appJar == null || appJar.isBlank()) {
            return parent;
        }
        Path path = Path.of(appJar);
        if (!Files.isReadable(path)) {
            throw new AppLoadException("--app-jar: cannot read " + appJar);
        }
        try {
            return new URLClassLoader("app", new URL[]{path.toUri().toURL()}, parent);
        } catch (MalformedURLException e) {
            throw new AppLoadException("--app-jar: bad path " + appJar);
        }
    }

    /**
     * A class loader for an app that needs nothing of herd's (the JDK's HttpServer API is in the
     * JDK): it sees the JDK and its own jar (and the jars its manifest names) only, so its
     * libraries never meet herd's (its Jackson is its own).
     */
    public static ClassLoader isolatedClassLoader(String appJar) throws AppLoadException {
        Path path = Path.of(appJar);
        if (!Files.isReadable(path)) {
            throw new AppLoadException("--app-jar: cannot read " + appJar);
        }
        try {
            return new URLClassLoader("app", new URL[]{path.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        } catch (MalformedURLException e) {
            throw new AppLoadException("--app-jar: bad path " + appJar);
        }
    }

    private static Class<?> find(ClassLoader loader, String className, boolean initialize) throws AppLoadException {
        Class<?> type;
        try {
            type = Class.forName(className, initialize, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new AppLoadException("app class " + className + " not found" + where(loader));
        } catch (ExceptionInInitializerError e) {
            throw new AppLoadException("app class " + className + " failed in its static initializer: "
                    + e.getCause(), e.getCause());
        } catch (LinkageError e) {
            throw new AppLoadException("app class " + className + " cannot be loaded: " + e);
        }
        if (!Handler.class.isAssignableFrom(type) && !AsyncHandler.class.isAssignableFrom(type)) {
            throw new AppLoadException("app class " + className
                    + " is not an app: it implements neither dev.herd.api.Handler nor dev.herd.api.AsyncHandler");
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new AppLoadException("app class " + className + " must be a public, non-abstract class");
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            if (!Modifier.isPublic(constructor.getModifiers())) {
                throw new NoSuchMethodException();
            }
        } catch (NoSuchMethodException e) {
            throw new AppLoadException("app class " + className + " needs a public no-argument constructor");
        }
        return type;
    }

    private static String where(ClassLoader loader) {
        return loader instanceof URLClassLoader url && url.getURLs().length > 0
                ? " in " + url.getURLs()[0].getPath() : " (name a jar with --app-jar)";
    }
}
