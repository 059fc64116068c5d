package dev.herd.redis;

import io.lettuce.core.RedisURI;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the store is: {@code redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]} (port 6379 and database 0
 * by default). Kept apart from Lettuce's own parser so that a mistake in {@code --state} gets one
 * line naming it, and so that the password never reaches a log.
 */
record RedisAddress(String host, int port, int database, String user, String password) {

    static final int DEFAULT_PORT = 6379;

    /** The address, or an {@link IllegalArgumentException} whose message says what is wrong with it. */
    static RedisAddress parse(URI uri) {
        String shown = withoutPassword(uri);
        if (!"redis".equalsIgnoreCase(uri.getScheme())) {
            throw bad(shown, "the scheme must be redis");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw bad(shown, "no host");
        }
        if (uri.getHost() == null) {
            // java.net.URI leaves host null when the authority is not a server address (a bad port, say).
            throw bad(shown, "not HOST[:PORT]");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(shown, "no query or fragment is allowed");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw bad(shown, "port " + port + " is out of range");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal, which Netty takes bare
        }
        return new RedisAddress(host, port, database(uri.getPath(), shown), user(uri), password(uri));
    }

    private static int database(String path, String shown) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String db = path.substring(1);
        if (!db.matches("[0-9]{1,5}")) {
            throw bad(shown, "the path must be a database number, not /" + db);
        }
        return Integer.parseInt(db);
    }

    private static String user(URI uri) {
        String info = uri.getUserInfo();
        if (info == null || !info.contains(":")) {
            return null;
        }
        String user = info.substring(0, info.indexOf(':'));
        return user.isEmpty() ? null : user;
    }

    /** {@code :secret@} or {@code user:secret@}; a lone {@code secret@} is taken as a password too, as redis-cli does. */
    private static String password(URI uri) {
        String info = uri.getUserInfo();
        if (info == null) {
            return null;
        }
        String password = info.substring(info.indexOf(':') + 1);
        return password.isEmpty() ? null : password;
    }

    private static IllegalArgumentException bad(String shown, String why) {
        // herd's worker puts "--state: cannot open redis state: " before it.
        return new IllegalArgumentException(shown + ": " + why
                + " (expected redis://[:PASSWORD@]HOST[:PORT][/DB])");
    }

    /** The URI as given, less its password, for error messages about the URI itself. */
    private static String withoutPassword(URI uri) {
        // Not getRawUserInfo(): java.net.URI has none for an authority it cannot read as HOST:PORT.
        String authority = uri.getRawAuthority();
        int at = authority == null ? -1 : authority.lastIndexOf('@');
        if (at < 0) {
            return uri.toString();
        }
        String info = authority.substring(0, at);
        int colon = info.indexOf(':');
        String hidden = colon >= 0 ? info.substring(0, colon) + ":***" : "***";
        return uri.toString().replaceFirst(Pattern.quote(info + "@"), Matcher.quoteReplacement(hidden + "@"));
    }

    /** For logs, {@code herd ctl status} and error messages: never the password. */
    String describe() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        String credentials = user != null ? user + "@" : "";
        return "redis://" + credentials + shownHost + ":" + port + "/" + database;
    }

    /** Lettuce's view of it; {@code timeout} also bounds the connection's handshake (AUTH, SELECT). */
    RedisURI toRedisUri(Duration timeout) {
        RedisURI.Builder builder = RedisURI.builder().withHost(host).withPort(port).withDatabase(database)
                .withTimeout(timeout);
        if (password != null) {
            builder = user != null ? builder.withAuthentication(user, password.toCharArray())
                    : builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return describe();
    }
}
