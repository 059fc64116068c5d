package dev.herd.state.local;

import dev.herd.api.state.StateLimits;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The wire form of the state socket, between a worker and the master's store.
 *
 * <pre>
 * frame:   | length: u32 | body |            length counts the body, at most MAX_FRAME
 * command: | op: u8 | id: u32 | fields |     a worker's request
 * reply:   | kind: u8 | id: u32 | fields |   in the order the commands came, on one connection;
 *                                            a MESSAGE (id 0) may come between replies
 * key, channel: u16 length, UTF-8            value, payload: u32 length, bytes
 * ttl, delta: i64                            flags (compare-and-set): bit 0 expected, bit 1 update
 * </pre>
 *
 * Both ends are one build of herd. Anything out of shape is a {@link CorruptedFrameException}:
 * the master drops that connection and goes on.
 */
final class StateProtocol {

    /** Two values at the limit (a compare-and-set) and a key, with room to spare. */
    static final int MAX_FRAME = 2 * StateLimits.MAX_VALUE_BYTES + 4 * StateLimits.MAX_KEY_BYTES;

    static final byte GET = 1, PUT = 2, PUT_IF_ABSENT = 3, COMPARE_AND_SET = 4, INCREMENT = 5, DELETE = 6,
            EXPIRE = 7, KEYS = 8, PUBLISH = 9, SUBSCRIBE = 10, UNSUBSCRIBE = 11;

    static final byte VALUE = 1, NONE = 2, BOOL = 3, LONG = 4, KEY_LIST = 5, ERROR = 6, MESSAGE = 7, DONE = 8;

    private StateProtocol() {
    }

    // ---- commands (worker -> master) ----------------------------------------------------------

    /** Writes one command frame; {@code a}/{@code b} are its byte fields, {@code n} its number. */
    static void writeCommand(ByteBuf out, byte op, int id, byte[] key, byte[] a, byte[] b, long n) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(op);
        out.writeInt(id);
        writeKey(out, key);
        switch (op) {
            case PUT, PUT_IF_ABSENT -> {
                writeValue(out, a);
                out.writeLong(n);
            }
            case COMPARE_AND_SET -> {
                out.writeByte((a != null ? 1 : 0) | (b != null ? 2 : 0));
                if (a != null) {
                    writeValue(out, a);
                }
                if (b != null) {
                    writeValue(out, b);
                }
                out.writeLong(n);
            }
            case INCREMENT, EXPIRE -> out.writeLong(n);
            case PUBLISH -> writeValue(out, a);
            default -> {
                // GET, DELETE, KEYS, SUBSCRIBE, UNSUBSCRIBE: the key alone
            }
        }
        out.setInt(start, out.writerIndex() - start - 4);
    }

    /** Reads one command from a frame's body. */
    static Command readCommand(ByteBuf in) {
        try {
            return command(in);
        } catch (IndexOutOfBoundsException e) {
            throw new CorruptedFrameException("a command cut short");
        }
    }

    private static Command command(ByteBuf in) {
        byte op = in.readByte();
        if (op < GET || op > UNSUBSCRIBE) {
            throw new CorruptedFrameException("unknown command " + op);
        }
        int id = in.readInt();
        String key = readKey(in, op == KEYS);
        Command command = switch (op) {
            case GET -> new Command.Get(id, key);
            case PUT -> new Command.Put(id, key, readValue(in), readTtl(in));
            case PUT_IF_ABSENT -> new Command.PutIfAbsent(id, key, readValue(in), readTtl(in));
            case COMPARE_AND_SET -> {
                int flags = in.readUnsignedByte();
                if ((flags & ~3) != 0) {
                    throw new CorruptedFrameException("compare-and-set flags " + flags);
                }
                byte[] expected = (flags & 1) != 0 ? readValue(in) : null;
                byte[] update = (flags & 2) != 0 ? readValue(in) : null;
                yield new Command.CompareAndSet(id, key, expected, update, readTtl(in));
            }
            case INCREMENT -> new Command.Increment(id, key, in.readLong());
            case DELETE -> new Command.Delete(id, key);
            case EXPIRE -> {
                long ttl = readTtl(in);
                if (ttl == 0) {
                    throw new CorruptedFrameException("expire without a time to live");
                }
                yield new Command.Expire(id, key, ttl);
            }
            case KEYS -> new Command.Keys(id, key);
            case PUBLISH -> new Command.Publish(id, key, readValue(in));
            case SUBSCRIBE -> new Command.Subscribe(id, key);
            case UNSUBSCRIBE -> new Command.Unsubscribe(id, key);
            default -> throw new CorruptedFrameException("unknown command " + op);
        };
        if (in.isReadable()) {
            throw new CorruptedFrameException(in.readableBytes() + " bytes after command " + op);
        }
        return command;
    }

    // ---- replies (master -> worker) -----------------------------------------------------------

    static void writeValue(ByteBuf out, int id, byte[] value) {
        int start = header(out, value == null ? NONE : VALUE, id);
        if (value != null) {
            writeValue(out, value);
        }
        end(out, start);
    }

    static void writeBool(ByteBuf out, int id, boolean value) {
        int start = header(out, BOOL, id);
        out.writeByte(value ? 1 : 0);
        end(out, start);
    }

    static void writeLong(ByteBuf out, int id, long value) {
        int start = header(out, LONG, id);
        out.writeLong(value);
        end(out, start);
    }

    static void writeDone(ByteBuf out, int id) {
        end(out, header(out, DONE, id));
    }

    static void writeKeys(ByteBuf out, int id, List<String> keys) {
        int start = header(out, KEY_LIST, id);
        out.writeInt(keys.size());
        for (String key : keys) {
            writeKey(out, key.getBytes(StandardCharsets.UTF_8));
        }
        end(out, start);
    }

    static void writeError(ByteBuf out, int id, String message) {
        int start = header(out, ERROR, id);
        writeValue(out, message.getBytes(StandardCharsets.UTF_8));
        end(out, start);
    }

    static void writeMessage(ByteBuf out, String channel, byte[] payload) {
        int start = header(out, MESSAGE, 0);
        writeKey(out, channel.getBytes(StandardCharsets.UTF_8));
        writeValue(out, payload);
        end(out, start);
    }

    // ---- fields --------------------------------------------------------------------------------

    private static int header(ByteBuf out, byte kind, int id) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(kind);
        out.writeInt(id);
        return start;
    }

    private static void end(ByteBuf out, int start) {
        out.setInt(start, out.writerIndex() - start - 4);
    }

    private static void writeKey(ByteBuf out, byte[] key) {
        out.writeShort(key.length);
        out.writeBytes(key);
    }

    private static void writeValue(ByteBuf out, byte[] value) {
        out.writeInt(value.length);
        out.writeBytes(value);
    }

    static String readKey(ByteBuf in, boolean mayBeEmpty) {
        int length = in.readUnsignedShort();
        if ((length == 0 && !mayBeEmpty) || length > StateLimits.MAX_KEY_BYTES || length > in.readableBytes()) {
            throw new CorruptedFrameException("key length " + length);
        }
        String key = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return key;
    }

    static byte[] readValue(ByteBuf in) {
        int length = in.readInt();
        if (length < 0 || length > StateLimits.MAX_VALUE_BYTES || length > in.readableBytes()) {
            throw new CorruptedFrameException("value length " + length);
        }
        byte[] value = new byte[length];
        in.readBytes(value);
        return value;
    }

    private static long readTtl(ByteBuf in) {
        long ttl = in.readLong();
        if (ttl < 0) {
            throw new CorruptedFrameException("time to live " + ttl);
        }
        return ttl;
    }
}
