package dev.herd.servlet;

import dev.herd.app.AppLoadException;
import dev.herd.app.AppLoader;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.servlet.session.SharedSessions;
import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ClassMatcher;

import java.nio.file.Path;

/**
 * The servlet app a configuration names, as a Jetty context: a WAR or exploded WAR folder
 * deployed by Jetty's {@link WebAppContext} (web.xml, annotations and
 * {@code ServletContainerInitializer}s such as Spring's and Jersey's, static resources, welcome
 * files, error pages), or one servlet class from {@code --app-jar} mapped to {@code /*}.
 */
final class ServletApp {

    /**
     * What a web app must not see of the worker's own class path: herd and its libraries are the
     * container's, and an app that bundles its own Jackson or Netty must get its own copy.
     */
    private static final String[] HIDDEN = {
        "dev.herd.", "io.netty.", "picocli.", "com.fasterxml.jackson.", "org.HdrHistogram.",
    };

    private ServletApp() {
    }

    /** A description for the log, e.g. "app.war" or "servlet com.example.Hello". */
    static String describe(Config config) {
        String servlet = config.get(Settings.SERVLET);
        return servlet.isEmpty() ? config.app() : "servlet " + servlet;
    }

    static ContextHandler context(Config config) throws AppLoadException {
        String contextPath = config.get(Settings.CONTEXT_PATH);
        String servlet = config.get(Settings.SERVLET);
        if (!servlet.isEmpty()) {
            return servletClass(config.appJar(), servlet, contextPath);
        }
        WebAppContext webApp = new WebAppContext();
        webApp.setWar(Path.of(config.app()).toAbsolutePath().toString());
        webApp.setContextPath(contextPath);
        // A servlet whose init fails (load-on-startup) fails the deployment, so the worker's boot.
        webApp.setThrowUnavailableOnStartupException(true);
        webApp.addHiddenClassMatcher(new ClassMatcher(HIDDEN));
        webApp.setLogUrlOnStart(false);
        SharedSessions.install(webApp);
        return webApp;
    }

    private static ContextHandler servletClass(String appJar, String className, String contextPath)
            throws AppLoadException {
        ClassLoader loader = AppLoader.classLoader(appJar);
        Class<? extends Servlet> type;
        try {
            type = Class.forName(className, false, loader).asSubclass(Servlet.class);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new AppLoadException("servlet class " + className + " not found in " + appJar);
        } catch (ClassCastException e) {
            throw new AppLoadException(className + " is not a servlet: it does not implement jakarta.servlet.Servlet");
        }
        ServletContextHandler context = new ServletContextHandler(contextPath, ServletContextHandler.SESSIONS);
        context.setClassLoader(loader);
        ServletHolder holder = new ServletHolder(type);
        holder.setInitOrder(1); // made and initialized at boot: a broken servlet fails the boot
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        SharedSessions.install(context);
        return context;
    }
}
