package dev.herd.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes access log lines on one daemon thread, so that event loops never wait for a disk. Lines
 * queue up and are written in batches of whole lines, each batch with one {@code write} on a
 * file opened for appending: several workers can share one file without tearing each other's
 * lines (O_APPEND makes each write land at the end). When the disk cannot keep up and the queue
 * is full, lines are dropped and counted rather than slowing requests down.
 */
final class AccessLogWriter {

    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final int QUEUE_LINES = 16_384;
    private static final int BATCH_BYTES = 64 * 1024;
    /** Not a line (every line ends with a line break): wakes the writer to look at its flags. */
    private static final String WAKE_UP = "";

    private final Path path;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE_LINES);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean reopenRequested;
    private volatile boolean closed;
    /** Only the writer thread touches it after construction. */
    private WritableByteChannel out;

    /** Opens {@code path} for appending, or standard output when it is null; throws when it cannot. */
    AccessLogWriter(Path path) throws IOException {
        this.path = path;
        this.out = open();
        this.thread = Thread.ofPlatform().daemon().name("herd-access-log").start(this::run);
    }

    /** Queues one line (ending with a line break). Any thread; never blocks. */
    void write(String line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Reopens the file by its path (after logrotate moved it). Any thread; returns at once. */
    void reopen() {
        reopenRequested = true;
        queue.offer(WAKE_UP);
    }

    /** Writes what is queued, then closes; waits up to {@code timeoutMillis}. */
    void close(long timeoutMillis) {
        closed = true;
        queue.offer(WAKE_UP);
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>();
        try {
            while (!(closed && queue.isEmpty())) {
                batch.add(queue.take());
                queue.drainTo(batch);
                writeAll(batch);
                batch.clear();
                reportDropped();
                if (reopenRequested) {
                    reopenRequested = false;
                    reopenNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly();
        }
    }

    private void writeAll(List<String> lines) {
        ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES);
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (buffer.remaining() < bytes.length && buffer.position() > 0) {
                flush(buffer);
            }
            if (bytes.length > buffer.capacity()) {
                flush(ByteBuffer.wrap(bytes).position(bytes.length));
            } else {
                buffer.put(bytes);
            }
        }
        if (buffer.position() > 0) {
            flush(buffer);
        }
    }

    /** Writes the buffer's content (from 0 to its position) and empties it. */
    private void flush(ByteBuffer buffer) {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException e) {
            log.warn("cannot write the access log {}: {}", where(), e.toString());
        }
        buffer.clear();
    }

    private void reportDropped() {
        long count = dropped.getAndSet(0);
        if (count > 0) {
            log.warn("access log {} could not keep up: {} lines dropped", where(), count);
        }
    }

    private void reopenNow() {
        if (path == null) {
            return;
        }
        try {
            WritableByteChannel reopened = open();
            closeQuietly();
            out = reopened;
            log.info("reopened access log {}", path);
        } catch (IOException e) {
            log.warn("cannot reopen the access log {}: {}; still writing to the old file", path, e.toString());
        }
    }

    private WritableByteChannel open() throws IOException {
        if (path == null) {
            return new FileOutputStream(FileDescriptor.out).getChannel();
        }
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void closeQuietly() {
        if (path == null) {
            return; // never close the process's standard output
        }
        try {
            out.close();
        } catch (IOException e) {
            log.debug("closing the access log: {}", e.toString());
        }
    }

    private String where() {
        return path == null ? "(stdout)" : path.toString();
    }
}
