package dev.herd.logging;

import org.slf4j.event.Level;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Where herd's log lines go, and their one shape for every process: time, level,
 * {@code [role pid]}, message. Tests and operators match these lines (e.g.
 * {@code ready pid=... listen=... workers=...}), so keep the shape stable.
 *
 * <p>System properties set before anything logs choose the destination ({@code herd.error.log}:
 * a file, appended to, or {@code -} for standard error) and name the process
 * ({@code herd.role}, {@code herd.pid}).
 *
 * <p>A message is one line whatever it holds: control characters in it (a line break, an
 * escape sequence that would repaint a terminal) are written as {@code \n}, {@code \r} and
 * {@code \u001b}, as Jetty's own appender does. Messages often quote what a client sent (a
 * path, a header), and a client must not be able to forge log lines or take over the terminal
 * of whoever reads them. A stack trace keeps its lines, with the same escapes inside them.
 */
final class LogOutput {

    private static final ZoneId ZONE = ZoneId.systemDefault();

    private final String file;
    private OutputStream out;

    private LogOutput(String file) {
        this.file = file;
    }

    static LogOutput fromSystemProperties() {
        String file = System.getProperty("herd.error.log", "-");
        LogOutput output = new LogOutput(file.isBlank() || file.equals("-") ? null : file);
        output.open();
        return output;
    }

    /** One line, with the stack trace of {@code thrown} after it; whole lines even from many threads. */
    void write(Level level, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(64 + message.length());
        appendTime(line, Instant.now());
        line.append(' ').append(level.name());
        for (int pad = level.name().length(); pad < 5; pad++) {
            line.append(' ');
        }
        line.append(" [").append(System.getProperty("herd.role", "herd")).append(' ')
                .append(System.getProperty("herd.pid", Long.toString(ProcessHandle.current().pid()))).append("] ");
        appendEscaped(line, message, false);
        line.append(System.lineSeparator());
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            appendEscaped(line, trace.toString(), true);
        }
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // Nowhere left to say it; the log must never take the process down.
            }
        }
    }

    /**
     * Appends {@code text} with its control characters (C0, DEL, C1) escaped; a tab stays.
     *
     * @param keepLines whether line breaks stay (a stack trace) or are escaped (a message)
     */
    static void appendEscaped(StringBuilder line, String text, boolean keepLines) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || (keepLines && (c == '\n' || c == '\r')) || !Character.isISOControl(c)) {
                line.append(c);
            } else if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else {
                line.append("\\u").append(String.format("%04x", (int) c));
            }
        }
    }

    /** After logrotate moved the file: the next line starts a new one. Nothing to do for stderr. */
    synchronized void reopen() {
        if (file != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // The old file is gone from our hands either way.
            }
            open();
        }
    }

    private void open() {
        if (file == null) {
            out = System.err;
            return;
        }
        try {
            out = new FileOutputStream(file, true);
        } catch (IOException e) {
            System.err.println("herd: cannot open the log file " + file + " (" + e.getMessage()
                    + "); logging to standard error");
            out = System.err;
        }
    }

    /** ISO 8601 with milliseconds and the offset ({@code Z} for UTC), as {@code 2026-11-29T16:06:53.223Z}. */
    static void appendTime(StringBuilder line, Instant now) {
        ZoneOffset offset = ZONE.getRules().getOffset(now);
        LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), now.getNano(), offset);
        line.append(t.getYear()).append('-');
        two(line, t.getMonthValue()).append('-');
        two(line, t.getDayOfMonth()).append('T');
        two(line, t.getHour()).append(':');
        two(line, t.getMinute()).append(':');
        two(line, t.getSecond()).append('.');
        int millis = t.getNano() / 1_000_000;
        line.append(millis < 100 ? (millis < 10 ? "00" : "0") : "").append(millis);
        int seconds = offset.getTotalSeconds();
        if (seconds == 0) {
            line.append('Z');
        } else {
            line.append(seconds < 0 ? '-' : '+');
            two(line, Math.abs(seconds) / 3600).append(':');
            two(line, Math.abs(seconds) / 60 % 60);
        }
    }

    private static StringBuilder two(StringBuilder line, int value) {
        return line.append(value < 10 ? "0" : "").append(value);
    }
}
