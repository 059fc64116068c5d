package dev.herd.api.state;

import java.nio.charset.StandardCharsets;

/** One message published on a channel of the shared state. */
public record ChannelMessage(String channel, byte[] payload) {

    /** The payload read as UTF-8. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
