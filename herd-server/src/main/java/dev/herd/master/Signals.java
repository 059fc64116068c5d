package dev.herd.master;

import dev.herd.signals.OsSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The master's signals ({@link OsSignals} installs them). Handlers only enqueue: the master's
 * loop does the work.
 *
 * <p>QUIT is not among them: the JVM keeps it for its thread dump and refuses a Java handler
 * (with {@code -Xrs} it refuses TERM, INT and HUP as well), so QUIT prints the master's thread
 * dump instead of Gunicorn's quick shutdown; INT is the way to halt.
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
        for (Kind kind : Kind.values()) {
            try {
                if (OsSignals.handle(kind.name(), () -> sink.accept(kind)) == OsSignals.Outcome.KEPT_IGNORED) {
                    log.warn("signal {} was ignored by whatever started herd (nohup? a background job?), and the"
                            + " JVM keeps it ignored{}", kind.name().toLowerCase(Locale.ROOT),
                            kind.ctl == null ? "" : ": " + kind.ctl + " does the same");
                }
            } catch (IllegalArgumentException e) {
                log.warn("signal {} is reserved by the JVM here and keeps its JVM meaning ({})",
                        kind.name().toLowerCase(Locale.ROOT), e.getMessage());
            } catch (UnsupportedOperationException e) {
                log.warn("this JVM offers no signal handling ({}); use herd ctl instead", e.getMessage());
                return;
            }
        }
    }
}
