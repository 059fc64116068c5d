package dev.herd.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One server-sent event (the HTML standard's {@code text/event-stream}): {@code data}, and
 * optionally an {@code id}, an {@code event} type and a {@code retry} time for the client's
 * reconnection. Multi-line data goes out as several {@code data:} lines, as the format asks.
 *
 * @param id    the last-event id the client sends back in {@code Last-Event-ID} when it reconnects; null: none
 * @param event the event type ({@code addEventListener} name); null: {@code message}
 * @param data  the payload, never null
 * @param retry how long the client waits before reconnecting; null: the client's default
 */
public record ServerSentEvent(String id, String event, String data, Duration retry) {

    public ServerSentEvent {
        Objects.requireNonNull(data, "data");
        checkLine("id", id);
        checkLine("event", event);
        if (id != null && id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an event id must not contain NUL");
        }
        if (retry != null && retry.isNegative()) {
            throw new IllegalArgumentException("retry must not be negative");
        }
    }

    /** An unnamed event carrying {@code data}. */
    public static ServerSentEvent of(String data) {
        return new ServerSentEvent(null, null, data, null);
    }

    /** An event of type {@code event} carrying {@code data}. */
    public static ServerSentEvent of(String event, String data) {
        return new ServerSentEvent(null, event, data, null);
    }

    /** This event with {@code id}. */
    public ServerSentEvent withId(String id) {
        return new ServerSentEvent(id, event, data, retry);
    }

    /** This event with a reconnection time. */
    public ServerSentEvent withRetry(Duration retry) {
        return new ServerSentEvent(id, event, data, retry);
    }

    /** The event as the wire format has it, ending with the blank line that dispatches it. */
    public String encode() {
        StringBuilder out = new StringBuilder(data.length() + 16);
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        if (event != null) {
            out.append("event: ").append(event).append('\n');
        }
        if (retry != null) {
            out.append("retry: ").append(retry.toMillis()).append('\n');
        }
        int start = 0;
        for (int i = 0; i <= data.length(); i++) {
            boolean end = i == data.length();
            char c = end ? '\n' : data.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return out.append('\n').toString();
    }

    private static void checkLine(String field, String value) {
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("an event's " + field + " must be one line");
        }
    }
}
