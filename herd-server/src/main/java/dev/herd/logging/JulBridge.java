package dev.herd.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * Sends what apps log through {@code java.util.logging} (Jersey does, and so do apps written
 * against the JDK alone) to herd's log, in herd's line shape, instead of the JDK's two-line
 * records on standard error. Installed once in each worker.
 */
public final class JulBridge extends Handler {

    private JulBridge() {
    }

    /** Replaces the root logger's handlers with this bridge; JUL's level follows herd's. */
    public static void install() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new JulBridge());
        root.setLevel(julLevel(System.getProperty("herd.log.level", "info")));
    }

    private static Level julLevel(String herdLevel) {
        return switch (herdLevel) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        };
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = format(record);
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            logger.error(message, record.getThrown());
        } else if (level >= Level.WARNING.intValue()) {
            logger.warn(message, record.getThrown());
        } else if (level >= Level.INFO.intValue()) {
            logger.info(message, record.getThrown());
        } else if (level >= Level.FINE.intValue()) {
            logger.debug(message, record.getThrown());
        } else {
            logger.trace(message, record.getThrown());
        }
    }

    /** The message with its parameters filled in, as JUL's formatters do. */
    private static String format(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message == null || parameters == null || parameters.length == 0 || !message.contains("{")) {
            return message;
        }
        try {
            return java.text.MessageFormat.format(message, parameters);
        } catch (IllegalArgumentException e) {
            return message;
        }
    }

    @Override
    public void flush() {
        // herd's log output flushes by itself.
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
