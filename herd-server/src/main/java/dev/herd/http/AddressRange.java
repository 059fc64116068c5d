package dev.herd.http;

import io.netty.util.NetUtil;

import java.net.InetAddress;

/**
 * An IP address or a network in CIDR notation ({@code 10.89.0.0/16}, {@code fd00::/8}), as
 * {@code --forwarded-allow-ips} takes them: a proxy in a container network or a Kubernetes pod
 * has an address from a range, not a fixed one (Gunicorn and Uvicorn take networks too).
 */
public record AddressRange(byte[] network, int prefix) {

    /** The range {@code text} names, or null when it names none. */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        // Netty's parser, not the JDK's: it takes no short IPv4 forms (1.2.3) and no host names.
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            return null;
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (!bits.matches("\\d{1,3}")) {
                return null;
            }
            prefix = Integer.parseInt(bits);
            if (prefix > bytes.length * 8) {
                return null;
            }
        }
        return new AddressRange(bytes, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] other = address.getAddress();
        if (other.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (other[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (other[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefix == prefix && java.util.Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
