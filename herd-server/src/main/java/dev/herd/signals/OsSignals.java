package dev.herd.signals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The only class that touches {@code sun.misc.Signal}, for the master's signals and a worker's
 * TERM. A handler runs on the JVM's signal thread and should only hand work on.
 *
 * <p>{@code sun.misc.Signal} is reached by reflection because javac warns on every direct use
 * of it and the build treats warnings as errors; the API itself is supported (jdk.unsupported).
 */
public final class OsSignals {

    private OsSignals() {
    }

    /** What became of a handler. */
    public enum Outcome {
        /** It runs on the signal. */
        INSTALLED,
        /**
         * The signal was ignored when the JVM started (nohup ignores HUP; a shell's background
         * job, INT), and the JVM keeps it ignored: the handler never runs.
         */
        KEPT_IGNORED
    }

    /**
     * Runs {@code handler} on signal {@code name} (TERM, HUP, ...).
     *
     * @throws IllegalArgumentException the JVM reserves the signal (QUIT; all of TERM, INT and HUP
     *                                  under -Xrs), with the JVM's reason
     * @throws UnsupportedOperationException this JVM offers no signal handling
     */
    public static Outcome handle(String name, Runnable handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object ignored = handlerClass.getField("SIG_IGN").get(null);
            Object proxy = Proxy.newProxyInstance(OsSignals.class.getClassLoader(), new Class<?>[]{handlerClass},
                    (self, method, args) -> {
                        if (method.getName().equals("handle")) {
                            handler.run();
                        }
                        return null;
                    });
            try {
                Object previous = handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), proxy);
                return previous == ignored ? Outcome.KEPT_IGNORED : Outcome.INSTALLED;
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
            }
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException(e.toString(), e);
        }
    }
}
