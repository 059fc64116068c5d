package dev.herd.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who the client is and which scheme it used, when a proxy in front says so: RFC 7239
 * {@code Forwarded} ({@code for=}, {@code proto=}; preferred when present), else
 * {@code X-Forwarded-For} and {@code X-Forwarded-Proto}. The headers are believed only from a
 * peer in {@code --forwarded-allow-ips}: anyone else could write them. Built once per worker;
 * {@link #resolve} is a pure function of its arguments.
 *
 * <p>A list of addresses is walked from the right, the end the trusted peer wrote, skipping
 * addresses of trusted proxies: the first untrusted address is the client. Everything to its
 * left was written by the client itself and proves nothing. Anything unparseable in the part
 * walked leaves the peer as the client, and an obfuscated or {@code unknown} client keeps the
 * peer's address too (the request has no better one to offer).
 */
public final class ForwardedHeaders {

    /** The client as the app sees it. {@code remoteAddress} is null for an unforwarded unix socket peer. */
    public record Origin(InetSocketAddress remoteAddress, String scheme) {
    }

    private static final String DEFAULT_SCHEME = "http";
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");

    private final boolean trustAll;
    private final boolean trustUnix;
    private final Set<InetAddress> trusted = new HashSet<>();
    private final List<AddressRange> trustedRanges = new java.util.ArrayList<>();

    /**
     * @param allowIps IP addresses or networks ({@code 10.0.0.0/8}), {@code unix} for unix socket
     *                 peers, {@code *} for every peer
     */
    public ForwardedHeaders(List<String> allowIps) {
        boolean all = false;
        boolean unix = false;
        for (String entry : allowIps) {
            String value = entry.trim();
            switch (value) {
                case "*" -> all = true;
                case "unix" -> unix = true;
                default -> {
                    if (value.contains("/")) {
                        AddressRange range = AddressRange.parse(value);
                        if (range == null) {
                            throw new IllegalArgumentException("not a network in --forwarded-allow-ips: " + value);
                        }
                        trustedRanges.add(range);
                        continue;
                    }
                    InetAddress address = NetUtil.createInetAddressFromIpAddressString(value);
                    if (address == null) {
                        throw new IllegalArgumentException("not an IP address in --forwarded-allow-ips: " + value);
                    }
                    trusted.add(address);
                }
            }
        }
        this.trustAll = all;
        this.trustUnix = unix;
    }

    /**
     * @param peer     the connection's peer; null when it is not an IP peer
     * @param unixPeer whether the connection came through a unix socket
     * @param headers  the request's header fields
     */
    public Origin resolve(InetSocketAddress peer, boolean unixPeer, HttpHeaders headers) {
        return resolveFrom(direct(peer), trustsPeer(peer, unixPeer), headers);
    }

    /**
     * The same, for a connection that has worked out once what never changes on it.
     *
     * @param direct  {@link #direct} of the connection's peer
     * @param trusted {@link #trustsPeer} of it
     */
    Origin resolveFrom(Origin direct, boolean trusted, HttpHeaders headers) {
        if (!trusted) {
            return direct;
        }
        if (headers.contains(FORWARDED)) {
            return fromForwarded(headers.getAll(FORWARDED), direct);
        }
        if (!headers.contains(X_FORWARDED_FOR) && !headers.contains(X_FORWARDED_PROTO)) {
            return direct;
        }
        return fromXForwarded(headers.getAll(X_FORWARDED_FOR),
                headers.getAll(X_FORWARDED_PROTO), direct);
    }

    /** The peer as the client, when nothing trusted says otherwise. */
    static Origin direct(InetSocketAddress peer) {
        return new Origin(peer, DEFAULT_SCHEME);
    }

    boolean trustsPeer(InetSocketAddress peer, boolean unixPeer) {
        if (trustAll) {
            return true;
        }
        return unixPeer ? trustUnix : peer != null && isTrusted(peer.getAddress());
    }

    private boolean isTrusted(InetAddress address) {
        if (trusted.contains(address)) {
            return true;
        }
        for (AddressRange range : trustedRanges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private Origin fromForwarded(List<String> values, Origin direct) {
        List<ForwardedElement> elements = ForwardedElement.parseAll(values);
        if (elements == null || elements.isEmpty()) {
            return direct;
        }
        List<Node> hops = elements.stream().map(e -> Node.parse(e.param("for"), false)).toList();
        int client = clientIndex(hops);
        if (client < 0) {
            return direct;
        }
        InetSocketAddress address = hops.get(client).address();
        String scheme = scheme(elements.get(client).param("proto"));
        return new Origin(address != null ? address : direct.remoteAddress(), scheme != null ? scheme : DEFAULT_SCHEME);
    }

    private Origin fromXForwarded(List<String> forValues, List<String> protoValues, Origin direct) {
        List<Node> hops = splitList(forValues).stream().map(hop -> Node.parse(hop, true)).toList();
        List<String> protos = splitList(protoValues);
        InetSocketAddress address = direct.remoteAddress();
        int client = -1;
        if (!hops.isEmpty()) {
            client = clientIndex(hops);
            if (client < 0) {
                return direct;
            }
            if (hops.get(client).address() != null) {
                address = hops.get(client).address();
            }
        }
        // Each proxy appends to both lists, so the same position names the same hop; when they
        // differ in length, the last value is the one the trusted peer set.
        String scheme = null;
        if (!protos.isEmpty()) {
            scheme = scheme(protos.size() == hops.size() && client >= 0 ? protos.get(client) : protos.getLast());
        }
        return new Origin(address, scheme != null ? scheme : DEFAULT_SCHEME);
    }

    /**
     * Walks {@code hops} from the right past trusted proxies; returns the client's index, or -1
     * when an unparseable hop comes first. When every hop is trusted, the leftmost is the client.
     */
    private int clientIndex(List<Node> hops) {
        for (int i = hops.size() - 1; i >= 0; i--) {
            Node hop = hops.get(i);
            if (hop.kind() == Node.Kind.INVALID) {
                return -1;
            }
            if (hop.kind() == Node.Kind.OPAQUE || !(trustAll || isTrusted(hop.address().getAddress()))) {
                return i;
            }
        }
        return 0;
    }

    private static String scheme(String proto) {
        if (proto == null) {
            return null;
        }
        String scheme = proto.trim().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") ? scheme : null;
    }

    private static List<String> splitList(List<String> values) {
        List<String> items = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    /**
     * One hop of a forwarding list: an address (port 0 when none was given), an opaque
     * identifier ({@code unknown}, {@code _hidden}) or something unparseable.
     */
    private record Node(Kind kind, InetSocketAddress address) {

        enum Kind { ADDRESS, OPAQUE, INVALID }

        private static final Node OPAQUE = new Node(Kind.OPAQUE, null);
        private static final Node INVALID = new Node(Kind.INVALID, null);
        private static final Pattern OBFUSCATED = Pattern.compile("_[A-Za-z0-9._-]+");

        /**
         * Parses RFC 7239's node syntax ({@code 192.0.2.1}, {@code 192.0.2.1:8080},
         * {@code [2001:db8::1]:8080}, {@code unknown}, {@code _hidden}); {@code lenient} also
         * takes a bare IPv6 address, as X-Forwarded-For often has it. A missing node is opaque.
         * Never looks a name up in DNS: only IP literals are addresses.
         */
        static Node parse(String text, boolean lenient) {
            if (text == null || text.equalsIgnoreCase("unknown")) {
                return OPAQUE;
            }
            if (text.startsWith("_")) {
                return OBFUSCATED.matcher(text).matches() ? OPAQUE : INVALID;
            }
            String host = text;
            String port = null;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0 || close + 1 < text.length() && text.charAt(close + 1) != ':') {
                    return INVALID;
                }
                host = text.substring(1, close);
                port = close + 1 < text.length() ? text.substring(close + 2) : null;
                if (!NetUtil.isValidIpV6Address(host)) {
                    return INVALID;
                }
            } else if (!(lenient && NetUtil.isValidIpV6Address(text))) {
                int colon = text.indexOf(':');
                if (colon >= 0) {
                    host = text.substring(0, colon);
                    port = text.substring(colon + 1);
                }
                if (!NetUtil.isValidIpV4Address(host)) {
                    return INVALID;
                }
            }
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
            int portNumber = port == null ? 0 : parsePort(port);
            if (address == null || portNumber < 0) {
                return INVALID;
            }
            return new Node(Kind.ADDRESS, new InetSocketAddress(address, portNumber));
        }

        /** A port number, 0 for an obfuscated port ({@code _abc}), or -1 when malformed. */
        private static int parsePort(String text) {
            if (OBFUSCATED.matcher(text).matches()) {
                return 0;
            }
            if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            int port = Integer.parseInt(text);
            return port <= 65535 ? port : -1;
        }
    }
}
