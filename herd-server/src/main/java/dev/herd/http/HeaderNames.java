package dev.herd.http;

import io.netty.util.AsciiString;

import java.util.Locale;

/**
 * The header names clients and apps use over and over, kept once. A request's names become
 * lower-case strings (herd's {@code Headers} keys by them) without the two strings per field
 * that converting Netty's name would cost; a response's known names go out as Netty's
 * {@link AsciiString}, which the encoder copies as bytes and which need no validation.
 */
final class HeaderNames {

    private static final String[] COMMON = {
        // requests
        "host", "user-agent", "accept", "accept-encoding", "accept-language", "accept-charset", "connection",
        "keep-alive", "content-length", "content-type", "content-encoding", "transfer-encoding", "te", "expect",
        "cookie", "authorization", "referer", "origin", "cache-control", "pragma", "if-none-match",
        "if-modified-since", "if-match", "if-unmodified-since", "range", "upgrade", "upgrade-insecure-requests",
        "dnt", "priority", "via", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
        "x-forwarded-port", "x-real-ip", "x-request-id", "x-requested-with", "sec-fetch-dest", "sec-fetch-mode",
        "sec-fetch-site", "sec-fetch-user", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform",
        "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
        // responses
        "set-cookie", "location", "etag", "last-modified", "expires", "vary", "content-disposition",
        "content-language", "content-range", "accept-ranges", "age", "allow", "retry-after", "server",
        "www-authenticate", "strict-transport-security", "x-content-type-options", "x-frame-options",
        "content-security-policy", "referrer-policy", "access-control-allow-origin",
        "access-control-allow-methods", "access-control-allow-headers", "access-control-allow-credentials",
        "access-control-expose-headers", "access-control-max-age",
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

    private HeaderNames() {
    }

    /** {@code name} in lower case. */
    static String lowerCase(CharSequence name) {
        int slot = find(name);
        return slot >= 0 ? LOWER[slot] : name.toString().toLowerCase(Locale.ROOT);
    }

    /** The known name equal to {@code name} whatever its case, or null. */
    static AsciiString known(CharSequence name) {
        int slot = find(name);
        return slot >= 0 ? TABLE[slot] : null;
    }

    private static int find(CharSequence name) {
        for (int slot = slot(AsciiString.hashCode(name)); TABLE[slot] != null; slot = (slot + 1) & (TABLE.length - 1)) {
            if (TABLE[slot].contentEqualsIgnoreCase(name)) {
                return slot;
            }
        }
        return -1;
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (TABLE.length - 1);
    }
}
