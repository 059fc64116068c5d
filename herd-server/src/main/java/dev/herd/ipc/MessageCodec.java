package dev.herd.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire form of {@link Message}s on the control socket.
 *
 * <pre>
 * +-------------+--------+---------------------------+
 * | length: u32 | tag: u8| fields, in record order   |
 * +-------------+--------+---------------------------+
 *   length counts the tag and fields. Fields: long = 8 bytes, int = 4 (big-endian),
 *   String = modified UTF-8 with a u16 length (DataOutput.writeUTF), long text (Reply) = u32
 *   length then UTF-8, bytes (Metrics) = u32 length then the bytes, list and map = u32 count
 *   then their items (a map item is key then value).
 * </pre>
 *
 * Both ends are the same build of herd, so there is no version negotiation.
 */
public final class MessageCodec {

    /** Frames above this size are refused; a Welcome with every setting is a few kilobytes. */
    public static final int MAX_FRAME = 1 << 20;

    private static final byte HELLO = 1;
    private static final byte WELCOME = 2;
    private static final byte AWAITING_LISTENERS = 3;
    private static final byte READY = 4;
    private static final byte HEARTBEAT = 5;
    private static final byte STOP = 6;
    private static final byte RETIRE = 7;
    private static final byte REOPEN_LOGS = 8;
    private static final byte COMMAND = 9;
    private static final byte REPLY = 10;
    private static final byte HANDOFF = 11;
    private static final byte LOAD = 12;
    private static final byte TAKEN = 13;
    private static final byte STOP_ACCEPTING = 14;
    private static final byte METRICS = 15;

    private MessageCodec() {
    }

    /** The message with its length prefix, ready to write. */
    public static byte[] encode(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0);
            switch (message) {
                case Message.Hello(long pid, int index, int generation) -> {
                    out.writeByte(HELLO);
                    out.writeLong(pid);
                    out.writeInt(index);
                    out.writeInt(generation);
                }
                case Message.Welcome(Map<String, String> config, List<String> listeners) -> {
                    out.writeByte(WELCOME);
                    writeMap(out, config);
                    writeList(out, listeners);
                }
                case Message.AwaitingListeners() -> out.writeByte(AWAITING_LISTENERS);
                case Message.Ready(long bootMillis) -> {
                    out.writeByte(READY);
                    out.writeLong(bootMillis);
                }
                case Message.Heartbeat(long requests, int inFlight, int connections, int streams, int webSockets) -> {
                    out.writeByte(HEARTBEAT);
                    out.writeLong(requests);
                    out.writeInt(inFlight);
                    out.writeInt(connections);
                    out.writeInt(streams);
                    out.writeInt(webSockets);
                }
                case Message.Handoff(long pid, int listener) -> {
                    out.writeByte(HANDOFF);
                    out.writeLong(pid);
                    out.writeInt(listener);
                }
                case Message.Taken() -> out.writeByte(TAKEN);
                case Message.Load(int connections, int inFlight, long received) -> {
                    out.writeByte(LOAD);
                    out.writeInt(connections);
                    out.writeInt(inFlight);
                    out.writeLong(received);
                }
                case Message.Metrics(byte[] report) -> {
                    out.writeByte(METRICS);
                    out.writeInt(report.length);
                    out.write(report);
                }
                case Message.Stop(long graceMillis) -> {
                    out.writeByte(STOP);
                    out.writeLong(graceMillis);
                }
                case Message.Retire(String reason) -> {
                    out.writeByte(RETIRE);
                    out.writeUTF(reason);
                }
                case Message.ReopenLogs() -> out.writeByte(REOPEN_LOGS);
                case Message.StopAccepting() -> out.writeByte(STOP_ACCEPTING);
                case Message.Command(String name, List<String> args) -> {
                    out.writeByte(COMMAND);
                    out.writeUTF(name);
                    writeList(out, args);
                }
                case Message.Reply(int status, String text) -> {
                    out.writeByte(REPLY);
                    out.writeInt(status);
                    writeLongString(out, text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] frame = bytes.toByteArray();
        int length = frame.length - 4;
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        return frame;
    }

    /** Reads one frame's body (tag and fields, without the length prefix). */
    public static Message decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        byte tag = in.readByte();
        Message message = switch (tag) {
            case HELLO -> new Message.Hello(in.readLong(), in.readInt(), in.readInt());
            case WELCOME -> new Message.Welcome(readMap(in), readList(in));
            case AWAITING_LISTENERS -> new Message.AwaitingListeners();
            case READY -> new Message.Ready(in.readLong());
            case HEARTBEAT -> new Message.Heartbeat(in.readLong(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt());
            case HANDOFF -> new Message.Handoff(in.readLong(), in.readInt());
            case TAKEN -> new Message.Taken();
            case LOAD -> new Message.Load(in.readInt(), in.readInt(), in.readLong());
            case METRICS -> {
                byte[] report = new byte[readCount(in)];
                in.readFully(report);
                yield new Message.Metrics(report);
            }
            case STOP -> new Message.Stop(in.readLong());
            case RETIRE -> new Message.Retire(in.readUTF());
            case REOPEN_LOGS -> new Message.ReopenLogs();
            case STOP_ACCEPTING -> new Message.StopAccepting();
            case COMMAND -> new Message.Command(in.readUTF(), readList(in));
            case REPLY -> new Message.Reply(in.readInt(), readLongString(in));
            default -> throw new IOException("unknown message tag " + tag);
        };
        if (in.available() > 0) {
            throw new IOException("trailing bytes after message " + message.getClass().getSimpleName());
        }
        return message;
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeUTF(entry.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int size = readCount(in);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    private static void writeList(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String item : list) {
            out.writeUTF(item);
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int size = readCount(in);
        List<String> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(in.readUTF());
        }
        return list;
    }

    /** A string that may pass writeUTF's 64 KiB limit (a status of many workers): u32 length, UTF-8. */
    private static void writeLongString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Malformed UTF-8 is refused, not replaced: a frame that says something else than was sent is corrupt. */
    private static String readLongString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[readCount(in)];
        in.readFully(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("a string that is not UTF-8", e);
        }
    }

    private static int readCount(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_FRAME) {
            throw new IOException("bad item count " + count);
        }
        return count;
    }
}
