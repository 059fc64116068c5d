package dev.herd.config;

/** Whether WebSockets may compress their messages ({@code --ws-compression}). */
public enum WsCompression {
    /** permessage-deflate (RFC 7692) when the client offers it. */
    DEFLATE,
    /** Never: saves CPU and about 64 KiB of zlib state per connection. */
    OFF
}
