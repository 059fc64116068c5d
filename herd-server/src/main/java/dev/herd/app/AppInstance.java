package dev.herd.app;

import dev.herd.api.AsyncHandler;
import dev.herd.api.Handler;
import dev.herd.api.Lifecycle;

/**
 * The one instance of the app in a worker, seen through the interfaces it implements. At
 * least one of {@code handler}, {@code asyncHandler} and {@code exchangeHandler} is present.
 */
public record AppInstance(String className, Handler handler, AsyncHandler asyncHandler, Lifecycle lifecycle,
                          ExchangeHandler exchangeHandler) {

    private static final Lifecycle NO_HOOKS = new Lifecycle() {
    };

    static AppInstance of(Object app) {
        return new AppInstance(app.getClass().getName(),
                app instanceof Handler h ? h : null,
                app instanceof AsyncHandler a ? a : null,
                app instanceof Lifecycle l ? l : NO_HOOKS, null);
    }

    /** An app that answers through the sink itself (the JDK's HttpServer API). */
    public static AppInstance ofExchanges(String className, ExchangeHandler handler) {
        return new AppInstance(className, null, null, NO_HOOKS, handler);
    }
}
