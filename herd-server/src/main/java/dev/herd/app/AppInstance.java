package dev.herd.app;

import dev.herd.api.AsyncHandler;
import dev.herd.api.Handler;
import dev.herd.api.Lifecycle;

/**
 * The one instance of the app in a worker, seen through the interfaces it implements. At
 * least one of {@code handler} and {@code asyncHandler} is present.
 */
public record AppInstance(String className, Handler handler, AsyncHandler asyncHandler, Lifecycle lifecycle) {

    private static final Lifecycle NO_HOOKS = new Lifecycle() {
    };

    static AppInstance of(Object app) {
        return new AppInstance(app.getClass().getName(),
                app instanceof Handler h ? h : null,
                app instanceof AsyncHandler a ? a : null,
                app instanceof Lifecycle l ? l : NO_HOOKS);
    }
}
