package dev.herd.http;

import io.netty.util.AsciiString;

import java.util.Locale;

/**
 * The lower-case form of a request's header names, which herd's {@code Headers} keys by. The
 * names clients send are few and the same on every request, so the common ones come from a
 * table, without the two strings (Netty's name to a {@code String}, then to lower case) that
 * each field would otherwise cost.
 */
final class RequestHeaderNames {

    private static final String[] COMMON = {
        "host", "user-agent", "accept", "accept-encoding", "accept-language", "accept-charset", "connection",
        "keep-alive", "content-length", "content-type", "content-encoding", "transfer-encoding", "te", "expect",
        "cookie", "authorization", "referer", "origin", "cache-control", "pragma", "if-none-match",
        "if-modified-since", "if-match", "if-unmodified-since", "range", "upgrade", "upgrade-insecure-requests",
        "dnt", "priority", "via", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
        "x-forwarded-port", "x-real-ip", "x-request-id", "x-requested-with", "sec-fetch-dest", "sec-fetch-mode",
        "sec-fetch-site", "sec-fetch-user", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform",
        "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
    };
    /** Open addressing on AsciiString's case-insensitive hash; a power of two, at least twice COMMON. */
    private static final AsciiString[] TABLE = new AsciiString[256];
    private static final String[] LOWER = new String[TABLE.length];

    static {
        for (String name : COMMON) {
            int slot = slot(AsciiString.hashCode(name));
            while (TABLE[slot] != null) {
                slot = (slot + 1) & (TABLE.length - 1);
            }
            TABLE[slot] = AsciiString.cached(name);
            LOWER[slot] = name;
        }
    }

    private RequestHeaderNames() {
    }

    /** {@code name} in lower case. */
    static String lowerCase(CharSequence name) {
        for (int slot = slot(AsciiString.hashCode(name)); TABLE[slot] != null; slot = (slot + 1) & (TABLE.length - 1)) {
            if (TABLE[slot].contentEqualsIgnoreCase(name)) {
                return LOWER[slot];
            }
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (TABLE.length - 1);
    }
}
