package dev.herd.jdkhttp;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpHandler;
import dev.herd.api.Request;
import dev.herd.app.AppInstance;
import dev.herd.app.AppLoadException;
import dev.herd.app.AppLoader;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.http.ResponseSink;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An app written against the JDK's {@code com.sun.net.httpserver}, run unmodified: the worker
 * names herd's provider, runs the app's {@code main} on a thread of its own, and is ready once
 * the app starts its {@code HttpServer}. Requests then come from herd's HTTP through the
 * execution model to the contexts the app made: authenticator, filters, handler, in the JDK's
 * order.
 */
public final class JdkHttpApp {

    /** The system property the JDK reads to pick its provider. */
    static final String PROVIDER_PROPERTY = "com.sun.net.httpserver.HttpServerProvider";

    private static volatile AppContexts contexts;

    private JdkHttpApp() {
    }

    /** The worker's table of contexts, which herd's provider fills. */
    static AppContexts contexts() {
        AppContexts current = contexts;
        if (current == null) {
            throw new IllegalStateException("herd's HttpServerProvider is used outside a worker of a --main app");
        }
        return current;
    }

    /**
     * Runs {@code --main} and waits until the app starts an {@code HttpServer}.
     *
     * @throws AppLoadException main is missing or threw, or returned or timed out without starting a server
     */
    public static AppInstance boot(Config config) throws AppLoadException {
        String mainClass = config.get(Settings.MAIN);
        BindAddress first = config.binds().getFirst();
        AppContexts table = new AppContexts(first.isUnix() ? null : new InetSocketAddress(first.host(), first.port()));
        contexts = table;
        System.setProperty(PROVIDER_PROPERTY, HerdHttpServerProvider.class.getName());
        ClassLoader loader = AppLoader.isolatedClassLoader(config.appJar());
        Method main = mainMethod(loader, mainClass);
        CompletableFuture<Void> mainDone = new CompletableFuture<>();
        Thread.ofPlatform().name("herd-app-main").daemon().start(() -> {
            Thread.currentThread().setContextClassLoader(loader);
            try {
                main.invoke(null, (Object) new String[0]);
                mainDone.complete(null);
            } catch (InvocationTargetException e) {
                mainDone.completeExceptionally(e.getCause());
            } catch (Throwable t) {
                mainDone.completeExceptionally(t);
            }
        });
        awaitStart(table, mainDone, mainClass, config.bootTimeout());
        return AppInstance.ofExchanges(mainClass, (request, sink) -> serve(table, request, sink));
    }

    private static Method mainMethod(ClassLoader loader, String mainClass) throws AppLoadException {
        try {
            Method main = Class.forName(mainClass, false, loader).getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) {
                throw new NoSuchMethodException();
            }
            return main;
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new AppLoadException("main class " + mainClass + " not found in " + loaderPath(loader));
        } catch (NoSuchMethodException e) {
            throw new AppLoadException("main class " + mainClass + " has no public static void main(String[])");
        }
    }

    private static String loaderPath(ClassLoader loader) {
        return loader instanceof java.net.URLClassLoader url ? url.getURLs()[0].getPath() : "the app jar";
    }

    private static void awaitStart(AppContexts table, CompletableFuture<Void> mainDone, String mainClass,
                                   Duration bootTimeout) throws AppLoadException {
        CompletableFuture<Object> either = CompletableFuture.anyOf(table.whenStarted(), mainDone);
        try {
            either.get(bootTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AppLoadException(mainClass + ".main failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AppLoadException(mainClass + ".main started no HttpServer within --boot-timeout ("
                    + bootTimeout.toSeconds() + " s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppLoadException("interrupted while " + mainClass + ".main ran");
        }
        if (!table.whenStarted().isDone()) {
            throw new AppLoadException(mainClass + ".main returned without starting an HttpServer"
                    + " (HttpServer.create(...), createContext, start())");
        }
    }

    /** One exchange, on the execution model's thread: authenticator, filters, handler. */
    private static void serve(AppContexts table, Request request, ResponseSink sink) {
        HerdHttpContext context = table.find(request.path());
        if (context == null || context.getHandler() == null) {
            sink.complete(dev.herd.api.Response.text(404, "<h1>404 Not Found</h1>No context found for request"));
            return;
        }
        HerdHttpExchange exchange = new HerdHttpExchange(request, sink, context, table.listenAddress());
        try {
            Authenticator authenticator = context.getAuthenticator();
            if (authenticator != null) {
                Authenticator.Result result = authenticator.authenticate(exchange);
                switch (result) {
                    case Authenticator.Success success -> exchange.principal(success.getPrincipal());
                    case Authenticator.Failure failure -> {
                        exchange.sendResponseHeaders(failure.getResponseCode(), -1);
                        return;
                    }
                    case Authenticator.Retry retry -> {
                        exchange.sendResponseHeaders(retry.getResponseCode(), -1);
                        return;
                    }
                    default -> throw new IllegalStateException("unknown authenticator result " + result);
                }
            }
            HttpHandler handler = context.getHandler();
            new Filter.Chain(context.getFilters(), handler).doFilter(exchange);
        } catch (Throwable failure) {
            exchange.failed(failure);
        }
    }
}
