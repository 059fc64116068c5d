package dev.herd.http.ws;

import dev.herd.api.WebSocketMessage;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Joins a message's frames into the whole message the app gets, counting its size against
 * {@code --ws-max-message} as the fragments come, so a message over the limit is refused before
 * it is all in memory. Netty's decoder has already checked the order of the frames (a
 * continuation without a start, or a new message inside one, is 1002) and the UTF-8 check has
 * seen every text fragment. Event loop only.
 */
final class MessageAssembler {

    /** The message being joined is over the limit. */
    static final class TooBig extends Exception {
        TooBig() {
            super("message over --ws-max-message", null, false, false);
        }
    }

    private final int maxMessage;
    private ByteArrayOutputStream fragments;
    private boolean text;

    MessageAssembler(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    /**
     * Takes a text, binary or continuation frame.
     *
     * @return the whole message once its last frame is in, else null
     */
    WebSocketMessage add(WebSocketFrame frame) throws TooBig {
        int size = frame.content().readableBytes();
        boolean first = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        if (first && frame.isFinalFragment()) {
            if (size > maxMessage) {
                throw new TooBig();
            }
            return message(ByteBufUtil.getBytes(frame.content()), frame instanceof TextWebSocketFrame);
        }
        if (first) {
            fragments = new ByteArrayOutputStream(Math.min(64 * 1024, 2 * size));
            text = frame instanceof TextWebSocketFrame;
        } else if (fragments == null) {
            return null; // the rest of a message already refused or dropped
        }
        if (fragments.size() + (long) size > maxMessage) {
            fragments = null;
            throw new TooBig();
        }
        fragments.writeBytes(ByteBufUtil.getBytes(frame.content()));
        if (!frame.isFinalFragment()) {
            return null;
        }
        byte[] whole = fragments.toByteArray();
        fragments = null;
        return message(whole, text);
    }

    /** Drops a message half joined (the connection is closing). */
    void reset() {
        fragments = null;
    }

    private static WebSocketMessage message(byte[] data, boolean text) {
        return text ? new WebSocketMessage.Text(new String(data, StandardCharsets.UTF_8))
                : new WebSocketMessage.Binary(data);
    }
}
