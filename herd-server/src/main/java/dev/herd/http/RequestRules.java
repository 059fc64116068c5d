package dev.herd.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Locale;

/**
 * The parts of RFC 9110/9112 that Netty's decoder leaves to the server: the form of the
 * request-target, the exact spelling of the version, the Host field, and the transfer codings
 * herd can undo. Each check throws an {@link HttpRejection} with the status the client gets.
 * Where the RFCs allow either reading, herd is strict when request boundaries or the request's
 * authority are at stake and lenient otherwise (docs/http.md lists each choice).
 */
public final class RequestRules {

    private RequestRules() {
    }

    /** RFC 9112 2.3: {@code HTTP-version = "HTTP/" DIGIT "." DIGIT}, case-sensitive (Netty upper-cases it). */
    static void checkVersion(String version) {
        if (!isVersion(version)) {
            throw badRequest("'" + printable(version) + "' is not an HTTP version");
        }
    }

    /**
     * RFC 9112 3.2: the target is in origin-form ({@code /path?query}), absolute-form
     * ({@code scheme://authority/path}), authority-form ({@code host:port}, CONNECT only) or
     * asterisk-form ({@code *}, OPTIONS only), and never holds a control octet. Anything else
     * ({@code foo/bar}, {@code ../x}, {@code !}) would need guessing what the client meant,
     * which RFC 9112 3 advises against. Octets outside the URI grammar but harmless ({@code "},
     * {@code |}, raw UTF-8, a fragment) are let through, as nginx and Jetty do.
     */
    static void checkTarget(String method, String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw badRequest("the request-target has control octet " + (int) c);
            }
        }
        if (method.equals("CONNECT")) {
            if (!isAuthority(target, true)) {
                throw badRequest("CONNECT needs host:port as its target");
            }
        } else if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw badRequest("the target * is for OPTIONS only");
            }
        } else if (!target.startsWith("/") && !isAbsoluteForm(target)) {
            throw badRequest("the request-target '" + printable(target) + "' is in none of the forms of RFC 9112 3.2");
        }
    }

    /**
     * RFC 9112 3.2: an HTTP/1.1 request without Host, any request with more than one, or one whose
     * Host is not {@code host [":" port]} gets 400. Apps build URLs from Host, and two parsers that
     * pick different Hosts out of one request route it differently.
     */
    static void checkHost(HttpHeaders headers, HttpVersion version) {
        String problem = hostProblem(headers.getAll(HttpHeaderNames.HOST), version.minorVersion() >= 1);
        if (problem != null) {
            throw badRequest(problem);
        }
    }

    /**
     * What is wrong with a request's Host fields, or null when nothing is; servlet workers
     * apply it to Jetty's requests too.
     *
     * @param hosts  the values of every Host field, in order
     * @param http11 the request is HTTP/1.1 (HTTP/1.0 may go without Host)
     */
    public static String hostProblem(List<String> hosts, boolean http11) {
        if (hosts.isEmpty()) {
            return http11 ? "an HTTP/1.1 request without Host" : null;
        }
        if (hosts.size() > 1) {
            return "more than one Host";
        }
        String host = hosts.getFirst();
        // Empty is valid: a target without an authority has an empty Host (RFC 9110 7.2).
        if (!host.isEmpty() && !isAuthority(host, false)) {
            return "the Host '" + printable(host) + "' is not host[:port]";
        }
        return null;
    }

    /** RFC 9112 2.3: whether {@code version} is spelled exactly {@code HTTP/DIGIT.DIGIT}. */
    public static boolean isVersion(CharSequence version) {
        return version.length() == 8 && version.toString().startsWith("HTTP/") && isDigit(version.charAt(5))
                && version.charAt(6) == '.' && isDigit(version.charAt(7));
    }

    /**
     * RFC 9112 6.1: herd decodes {@code chunked} and nothing else. A body in another coding
     * ({@code gzip, chunked}) would reach the app still encoded, so it gets 501 (the RFC's
     * SHOULD); {@code chunked} twice is a framing error (400). Netty has already refused a list
     * that does not end in chunked, and Transfer-Encoding on HTTP/1.0.
     */
    static void checkTransferCodings(HttpHeaders headers) {
        List<String> fields = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (fields.isEmpty()) {
            return;
        }
        int chunked = 0;
        for (String field : fields) {
            for (String coding : field.split(",", -1)) {
                String name = coding.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue; // RFC 9110 5.6.1: empty list elements do not count
                }
                if (name.equals("chunked")) {
                    chunked++;
                } else {
                    throw new HttpRejection(HttpResponseStatus.NOT_IMPLEMENTED,
                            "transfer coding '" + printable(name) + "' is not implemented");
                }
            }
        }
        if (chunked > 1) {
            throw badRequest("chunked applied more than once");
        }
    }

    /**
     * The origin-form of an absolute-form target ({@code http://host:8000/a?b} gives
     * {@code /a?b}), which is what the app sees as path and query; null for any other form.
     */
    static String originForm(String target) {
        int authority = authorityStart(target);
        if (authority < 0) {
            return null;
        }
        int end = authorityEnd(target, authority);
        if (end == target.length()) {
            return "/";
        }
        String rest = target.substring(end);
        // A fragment is not part of the target the server serves (RFC 9110 4.2.5).
        int hash = rest.indexOf('#');
        rest = hash < 0 ? rest : rest.substring(0, hash);
        return rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest;
    }

    /** The authority of an absolute-form target, which replaces Host (RFC 9112 3.2.2); null for other forms. */
    static String authority(String target) {
        int start = authorityStart(target);
        return start < 0 ? null : target.substring(start, authorityEnd(target, start));
    }

    private static int authorityStart(String target) {
        if (target.isEmpty() || target.charAt(0) == '/') {
            return -1;
        }
        int colon = target.indexOf("://");
        return colon > 0 && isScheme(target, colon) ? colon + 3 : -1;
    }

    private static int authorityEnd(String target, int start) {
        int end = start;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        return end;
    }

    /**
     * {@code scheme "://" authority [path-abempty] ["?" query]}. RFC 9110 4.2.4: userinfo in an
     * http(s) URI is treated as an error (it is a phishing device, never sent by a real client);
     * 4.2.1: an http(s) URI with an empty host is invalid.
     */
    private static boolean isAbsoluteForm(String target) {
        int start = authorityStart(target);
        if (start < 0) {
            return false;
        }
        String authority = target.substring(start, authorityEnd(target, start));
        if (authority.indexOf('@') >= 0) {
            return false;
        }
        if (authority.isEmpty()) {
            String scheme = target.substring(0, start - 3).toLowerCase(Locale.ROOT);
            return !scheme.equals("http") && !scheme.equals("https");
        }
        return isAuthority(authority, false);
    }

    private static boolean isScheme(String s, int end) {
        if (!isAlpha(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 {@code host [":" port]}: an IP literal in brackets, or a reg-name (which covers IPv4). */
    static boolean isAuthority(String s, boolean portRequired) {
        int hostEnd;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !isIpLiteral(s.substring(1, close))) {
                return false;
            }
            hostEnd = close + 1;
        } else {
            int colon = s.indexOf(':');
            hostEnd = colon < 0 ? s.length() : colon;
            if (!isRegName(s, 0, hostEnd)) {
                return false;
            }
        }
        if (hostEnd == s.length()) {
            return !portRequired;
        }
        if (s.charAt(hostEnd) != ':') {
            return false;
        }
        String port = s.substring(hostEnd + 1);
        if (portRequired && port.isEmpty()) {
            return false;
        }
        return port.chars().allMatch(RequestRules::isDigit) && port.length() <= 5;
    }

    /** {@code *( unreserved / pct-encoded / sub-delims )}. */
    private static boolean isRegName(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isUnreserved(c) && "!$&'()*+,;=".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * IPv6 (hex digits, colons, an embedded IPv4's dots) with an optional RFC 6874 zone
     * ({@code %25en0}), or IPvFuture ({@code v1.x}). The address itself is not parsed: a wrong
     * one cannot be confused with anything else, and the app never connects to it.
     */
    private static boolean isIpLiteral(String s) {
        if (s.length() > 1 && (s.charAt(0) == 'v' || s.charAt(0) == 'V')) {
            int dot = s.indexOf('.');
            if (dot < 2 || dot == s.length() - 1) {
                return false;
            }
            for (int i = 1; i < dot; i++) {
                if (!isHex(s.charAt(i))) {
                    return false;
                }
            }
            for (int i = dot + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!isUnreserved(c) && "!$&'()*+,;=:".indexOf(c) < 0) {
                    return false;
                }
            }
            return true;
        }
        int zone = s.indexOf("%25");
        String address = zone < 0 ? s : s.substring(0, zone);
        if (address.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (!isHex(c) && c != ':' && c != '.') {
                return false;
            }
        }
        return zone < 0 || (zone + 3 < s.length() && isRegName(s, zone + 3, s.length()));
    }

    private static boolean isUnreserved(char c) {
        return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** For log lines: control octets as {@code \xNN}, and no more than 100 characters. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 100; i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7f || c > 0xff) {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static HttpRejection badRequest(String reason) {
        return new HttpRejection(HttpResponseStatus.BAD_REQUEST, reason);
    }
}
