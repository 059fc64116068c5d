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

    /** Signals the master acts on, with Gunicorn's meanings, and the {@code herd ctl} command that does the same. */
    enum Kind {
        /** Graceful stop. */
        TERM("herd ctl stop"),
        /** Halt now. */
        INT("herd ctl stop --now"),
        /** Reload: a new generation from the configuration file, then the old one drains. */
        HUP("herd ctl reload"),
        /** One more worker. */
        TTIN("herd ctl add"),
        /** One worker fewer (it drains first). */
        TTOU("herd ctl remove"),
        /** Reopen log files. */
        USR1(null);

        private final String ctl;

        Kind(String ctl) {
            this.ctl = ctl;
        }
    }

    private Signals() {
    }

    /** Routes every {@link Kind} to {@code sink}. Signal handler thread: only enqueues. */
    static void install(Consumer<Kind> sink) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object ignored = handlerClass.getField("SIG_IGN").get(null);
            for (Kind kind : Kind.values()) {
                Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[]{handlerClass},
                        (proxy, method, args) -> {
                            if (method.getName().equals("handle")) {
                                sink.accept(kind);
                            }
                            return null;
                        });
                try {
                    Object previous = handle.invoke(null, signalClass.getConstructor(String.class).newInstance(kind.name()),
                            handler);
                    if (previous == ignored) {
                        // The JVM leaves TERM, INT and HUP ignored when they were at its start (nohup
                        // ignores HUP; a shell's background job, INT), and installs nothing.
                        log.warn("signal {} was ignored by whatever started herd (nohup? a background job?), and the"
                                + " JVM keeps it ignored{}", kind.name().toLowerCase(Locale.ROOT),
                                kind.ctl == null ? "" : ": " + kind.ctl + " does the same");
                    }
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
