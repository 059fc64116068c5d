package dev.herd.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback in code, found through the service loader, for every herd process. An
 * XML configuration costs each worker JVM about 0.2 s of boot (measured: 370 ms to the first
 * logger with logback.xml, 170-220 ms with this class), and every worker pays it.
 *
 * <p>One line shape for every process: time, level, {@code [role pid]}, message. Tests and
 * operators match these lines (e.g. {@code ready pid=... listen=... workers=...}), so keep the
 * shape stable. System properties set by the master choose the level ({@code herd.log.level})
 * and the destination ({@code herd.error.log}: a file, or {@code -} for standard error).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%property{herd.role} %property{herd.pid}] %msg%n";
    private static final String APPENDER = "herd";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        String file = System.getProperty("herd.error.log", "-");
        OutputStreamAppender<ILoggingEvent> appender;
        if (file.isBlank() || file.equals("-")) {
            ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
            stderr.setTarget("System.err");
            appender = stderr;
        } else {
            FileAppender<ILoggingEvent> toFile = new FileAppender<>();
            toFile.setFile(file);
            toFile.setAppend(true);
            appender = toFile;
        }
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("herd.log.level", "info"), Level.INFO));
        root.addAppender(appender);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Reopens the log file (after logrotate moved it); nothing to do when logging to stderr. */
    public static void reopen() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER) instanceof FileAppender<?> file) {
            file.stop();
            file.start();
        }
    }
}
