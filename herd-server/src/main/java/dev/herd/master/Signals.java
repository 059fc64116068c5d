package dev.herd.master;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The only class that touches {@code sun.misc.Signal}. Handlers only enqueue: the master's
 * loop does the work.
 *
 * <p>QUIT is not among them: the JVM keeps it for its thread dump and refuses a Java handler
 * (with {@code -Xrs} it refuses TERM, INT and HUP as well), so QUIT prints the master's thread
 * dump instead of Gunicorn's quick shutdown; INT is the way to halt.
 *
 * <p>{@code sun.misc.Signal} is reached by reflection because javac warns on every direct use
 * of it and the build treats warnings as errors; the API itself is supported (jdk.unsupported).
 */
final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    /** Signals the master acts on, with Gunicorn's meanings. */
    enum Kind {
        /** Graceful stop. */
        TERM,
        /** Halt now. */
        INT,
        /** Reload: a new generation from the configuration file, then the old one drains. */
        HUP,
        /** One more worker. */
        TTIN,
        /** One worker fewer (it drains first). */
        TTOU,
        /** Reopen log files. */
        USR1
    }

    private Signals() {
    }

    /** Routes every {@link Kind} to {@code sink}. Signal handler thread: only enqueues. */
    static void install(Consumer<Kind> sink) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (Kind kind : Kind.values()) {
                Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[]{handlerClass},
                        (proxy, method, args) -> {
                            if (method.getName().equals("handle")) {
                                sink.accept(kind);
                            }
                            return null;
                        });
                try {
                    handle.invoke(null, signalClass.getConstructor(String.class).newInstance(kind.name()), handler);
                } catch (InvocationTargetException e) {
                    log.warn("signal {} is reserved by the JVM here and keeps its JVM meaning ({})",
                            kind.name().toLowerCase(Locale.ROOT), e.getCause().getMessage());
                }
            }
        } catch (ReflectiveOperationException e) {
            log.warn("this JVM offers no signal handling ({}); use herd ctl instead", e.toString());
        }
    }
}
