package dev.herd.api;

import java.util.Objects;

/**
 * How a WebSocket closed: the code and reason of the close frame (RFC 6455, section 7.4).
 *
 * @param code   1000 normal, 1001 going away, 1002 protocol error, 1007 bad data, 1008 policy,
 *               1009 too big, 1011 server error; 1005 when the close frame had no code, 1006
 *               when the connection went without a close frame
 * @param reason the reason text, possibly empty
 */
public record WebSocketClose(int code, String reason) {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int NO_STATUS = 1005;
    public static final int ABNORMAL = 1006;
    public static final int INVALID_DATA = 1007;
    public static final int POLICY = 1008;
    public static final int TOO_BIG = 1009;
    public static final int SERVER_ERROR = 1011;

    public WebSocketClose {
        Objects.requireNonNull(reason, "reason");
    }
}
