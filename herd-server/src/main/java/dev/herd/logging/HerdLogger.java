package dev.herd.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A named logger with a fixed threshold; every line goes to the process's one {@link LogOutput}. */
final class HerdLogger extends LegacyAbstractLogger {

    private final int threshold;
    private final LogOutput output;

    HerdLogger(String name, Level threshold, LogOutput output) {
        this.name = name;
        this.threshold = threshold.toInt();
        this.output = output;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable thrown) {
        // SLF4J passes a trailing exception of a one- or two-argument call as an argument; as
        // Logback did, it is printed as the exception.
        FormattingTuple message = MessageFormatter.arrayFormat(pattern, arguments);
        output.write(level, String.valueOf(message.getMessage()), thrown != null ? thrown : message.getThrowable());
    }
}
