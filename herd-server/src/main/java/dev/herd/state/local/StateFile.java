package dev.herd.state.local;

import dev.herd.config.StateFsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * {@code --state-file}: the store's changes as an append-only log, so a master that stops (or is
 * killed) comes back with what it had. Once the log has grown to twice what the store holds (and
 * past {@link #MIN_COMPACT_BYTES}), it is rewritten as a snapshot of the live keys followed by
 * new changes: written beside it, forced, then renamed over it, so a crash during the rewrite
 * leaves the old file whole.
 *
 * <pre>
 * file:   "HERDSTATE1\n" then records
 * record: | length: u32 | crc32c of body: u32 | body |
 * body:   PUT    1 | key: u16 length, UTF-8 | value: u32 length, bytes | expires: i64 epoch ms, 0 never
 *         DELETE 2 | key
 *         EXPIRE 3 | key | expires: i64
 * </pre>
 *
 * Changes are collected in memory while the store applies a batch of commands and written with
 * one {@code write} by {@link #flush} before the batch's replies go out: a caller is answered
 * only once its change is in the file (in the kernel's cache), so a crash of the master loses
 * nothing it acknowledged. When the cache reaches the disk is {@link StateFsync}'s choice.
 *
 * <p>Reading back refuses a file that is not whole (a bad header, a record cut short, a checksum
 * that does not match) with the offset of the first bad byte, and never rewrites it.
 */
final class StateFile implements StateStore.Journal, AutoCloseable {

    static final byte[] MAGIC = "HERDSTATE1\n".getBytes(StandardCharsets.US_ASCII);
    static final long MIN_COMPACT_BYTES = 8L << 20;
    private static final byte PUT = 1, DELETE = 2, EXPIRE = 3;
    private static final int MAX_RECORD = StateProtocol.MAX_FRAME;

    private final Path path;
    private final StateFsync fsync;
    private FileChannel channel;
    private ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
    private long size;
    private boolean unforced;
    private long compactions;

    private StateFile(Path path, StateFsync fsync, FileChannel channel, long size) {
        this.path = path;
        this.fsync = fsync;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Reads {@code path} into {@code store} (a missing file is an empty store and is created) and
     * journals the store's changes to it from then on.
     */
    static StateFile open(Path path, StateFsync fsync, StateStore store) throws StateFileException, IOException {
        if (!Files.exists(path)) {
            try (FileChannel created = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                created.write(ByteBuffer.wrap(MAGIC));
                created.force(true);
            }
        }
        long size = replay(path, store);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        StateFile file = new StateFile(path, fsync, channel, size);
        store.journal(file);
        return file;
    }

    private static long replay(Path path, StateStore store) throws StateFileException, IOException {
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            long length = in.size();
            ByteBuffer header = ByteBuffer.allocate(MAGIC.length);
            if (read(in, header, 0) < MAGIC.length || !header.flip().equals(ByteBuffer.wrap(MAGIC))) {
                throw bad(path, 0, "it does not start as a herd state file");
            }
            long offset = MAGIC.length;
            ByteBuffer head = ByteBuffer.allocate(8);
            CRC32C crc = new CRC32C();
            while (offset < length) {
                head.clear();
                if (read(in, head, offset) < 8) {
                    throw bad(path, offset, "a record is cut short (the file ends " + (length - offset)
                            + " bytes into it)");
                }
                head.flip();
                int bodyLength = head.getInt();
                int checksum = head.getInt();
                if (bodyLength <= 0 || bodyLength > MAX_RECORD) {
                    throw bad(path, offset, "a record claims a length of " + bodyLength + " bytes");
                }
                if (offset + 8 + bodyLength > length) {
                    throw bad(path, offset, "a record is cut short (" + bodyLength + " bytes announced, "
                            + (length - offset - 8) + " there)");
                }
                ByteBuffer body = ByteBuffer.allocate(bodyLength);
                read(in, body, offset + 8);
                body.flip();
                crc.reset();
                crc.update(body.duplicate());
                if ((int) crc.getValue() != checksum) {
                    throw bad(path, offset, "a record's checksum does not match (the file is damaged)");
                }
                try {
                    apply(body, store);
                } catch (RuntimeException e) {
                    throw bad(path, offset, "a record cannot be read (" + e.getMessage() + ")");
                }
                offset += 8 + bodyLength;
            }
            return length;
        }
    }

    private static void apply(ByteBuffer body, StateStore store) {
        byte op = body.get();
        String key = readKey(body);
        switch (op) {
            case PUT -> {
                int valueLength = body.getInt();
                if (valueLength < 0 || valueLength > body.remaining() - 8) {
                    throw new IllegalArgumentException("value length " + valueLength);
                }
                byte[] value = new byte[valueLength];
                body.get(value);
                store.restorePut(key, value, body.getLong());
            }
            case DELETE -> store.restoreDelete(key);
            case EXPIRE -> store.restoreExpire(key, body.getLong());
            default -> throw new IllegalArgumentException("unknown change " + op);
        }
        if (body.hasRemaining()) {
            throw new IllegalArgumentException(body.remaining() + " bytes left over");
        }
    }

    private static String readKey(ByteBuffer body) {
        int length = Short.toUnsignedInt(body.getShort());
        if (length == 0 || length > body.remaining()) {
            throw new IllegalArgumentException("key length " + length);
        }
        byte[] key = new byte[length];
        body.get(key);
        return new String(key, StandardCharsets.UTF_8);
    }

    private static int read(FileChannel in, ByteBuffer into, long position) throws IOException {
        int total = 0;
        while (into.hasRemaining()) {
            int n = in.read(into, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static StateFileException bad(Path path, long offset, String why) {
        return new StateFileException("the state file " + path + " is damaged at byte offset " + offset + ": " + why
                + ". herd leaves it as it is; move it away to start empty, or cut it at that offset (truncate -s "
                + offset + ") to keep what precedes it");
    }

    // ---- journal -------------------------------------------------------------------------------

    @Override
    public void put(String key, byte[] value, long expiresAt) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        record(1 + 2 + k.length + 4 + value.length + 8).put(PUT).putShort((short) k.length).put(k)
                .putInt(value.length).put(value).putLong(expiresAt);
        seal();
    }

    @Override
    public void delete(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        record(1 + 2 + k.length).put(DELETE).putShort((short) k.length).put(k);
        seal();
    }

    @Override
    public void expire(String key, long expiresAt) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        record(1 + 2 + k.length + 8).put(EXPIRE).putShort((short) k.length).put(k).putLong(expiresAt);
        seal();
    }

    private int recordStart;

    /** Room for one record; its length and checksum are filled in by {@link #seal}. */
    private ByteBuffer record(int bodyLength) {
        if (pending.remaining() < 8 + bodyLength) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + 8 + bodyLength));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        recordStart = pending.position();
        pending.putInt(bodyLength).putInt(0);
        return pending;
    }

    private void seal() {
        int bodyStart = recordStart + 8;
        CRC32C crc = new CRC32C();
        crc.update(pending.array(), bodyStart, pending.position() - bodyStart);
        pending.putInt(recordStart + 4, (int) crc.getValue());
    }

    /** Writes what the last batch changed; forces it too under {@code always}. Before the replies go out. */
    void flush() {
        if (pending.position() == 0) {
            return;
        }
        pending.flip();
        try {
            while (pending.hasRemaining()) {
                size += channel.write(pending);
            }
            if (fsync == StateFsync.ALWAYS) {
                channel.force(false);
            } else {
                unforced = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state file " + path + ": " + e.getMessage(), e);
        } finally {
            pending.clear();
        }
    }

    /** Called once a second: forces the file under {@code everysec}. */
    void tick() {
        if (fsync == StateFsync.EVERYSEC && unforced) {
            try {
                channel.force(false);
                unforced = false;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot force the state file " + path + " to disk: " + e.getMessage(), e);
            }
        }
    }

    /** Rewrites the file as a snapshot when the log has grown well past what the store holds. */
    boolean compactIfDue(StateStore store) throws IOException {
        if (size < MIN_COMPACT_BYTES || size < 2 * store.bytes()) {
            return false;
        }
        compact(store);
        return true;
    }

    void compact(StateStore store) throws IOException {
        flush();
        Path next = path.resolveSibling(path.getFileName() + ".rewrite");
        ByteBuffer saved = pending;
        pending = ByteBuffer.allocate(64 * 1024);
        long written = 0;
        try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            written += out.write(ByteBuffer.wrap(MAGIC));
            final long[] total = {written};
            store.forEachLive(new StateStore.Journal() {
                @Override
                public void put(String key, byte[] value, long expiresAt) {
                    StateFile.this.put(key, value, expiresAt);
                    if (pending.position() > 1 << 20) {
                        total[0] += drainTo(out);
                    }
                }

                @Override
                public void delete(String key) {
                }

                @Override
                public void expire(String key, long expiresAt) {
                }
            });
            written = total[0] + drainTo(out);
            out.force(true);
        } finally {
            pending = saved;
        }
        Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel.close();
        channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        forceDirectory();
        size = written;
        unforced = false;
        compactions++;
    }

    private long drainTo(FileChannel out) {
        pending.flip();
        long n = 0;
        try {
            while (pending.hasRemaining()) {
                n += out.write(pending);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pending.clear();
        }
        return n;
    }

    /** The rename is durable only once the directory is. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open a directory; the rename still happened.
        }
    }

    long size() {
        return size;
    }

    long compactions() {
        return compactions;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            flush();
            channel.force(true);
            channel.close();
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException(new IOException("cannot close the state file " + path + ": " + e.getMessage()));
        }
    }
}
