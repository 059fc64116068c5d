package dev.herd.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One whole WebSocket message: herd joins fragments before the app sees them. */
public sealed interface WebSocketMessage {

    /** A text message (valid UTF-8 on the wire; herd closes with 1007 otherwise). */
    record Text(String text) implements WebSocketMessage {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A binary message. */
    record Binary(byte[] data) implements WebSocketMessage {
        public Binary {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public String toString() {
            return "Binary[" + data.length + " bytes]";
        }
    }

    /** The message's text, or its bytes decoded as UTF-8. */
    default String asText() {
        return switch (this) {
            case Text(var text) -> text;
            case Binary(var data) -> new String(data, StandardCharsets.UTF_8);
        };
    }
}
