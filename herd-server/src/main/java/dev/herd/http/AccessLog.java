package dev.herd.http;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One worker's access log: a line per answered request, in the {@code --access-log-format}, to
 * the {@code --access-log} file or standard output. Lines are formatted on the event loop (a
 * few string appends) and written by {@link AccessLogWriter}'s thread. {@link #OFF} does nothing.
 */
public final class AccessLog {

    static final AccessLog OFF = new AccessLog(null, null);

    private final AccessLogFormat format;
    private final AccessLogWriter writer;

    private AccessLog(AccessLogFormat format, AccessLogWriter writer) {
        this.format = format;
        this.writer = writer;
    }

    /**
     * @param target a file path, {@code -} for standard output, or empty for no access log
     * @throws IOException when the file cannot be opened for appending
     */
    public static AccessLog open(String target, String format) throws IOException {
        if (target.isEmpty()) {
            return OFF;
        }
        Path path = target.equals("-") ? null : Path.of(target);
        try {
            return new AccessLog(AccessLogFormat.compile(format), new AccessLogWriter(path));
        } catch (IOException e) {
            throw new IOException("cannot open the access log " + target + ": " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return writer != null;
    }

    /** Any thread; never blocks. */
    public void log(AccessLogEntry entry) {
        if (writer != null) {
            writer.write(format.format(entry) + "\n");
        }
    }

    /** Reopens the file by its path, for logrotate; returns at once. */
    public void reopen() {
        if (writer != null) {
            writer.reopen();
        }
    }

    /** Writes what is queued and closes the file. */
    public void close() {
        if (writer != null) {
            writer.close(2000);
        }
    }
}
