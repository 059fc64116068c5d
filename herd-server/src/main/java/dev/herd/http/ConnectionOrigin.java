package dev.herd.http;

import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetSocketAddress;

/**
 * Who a connection's requests come from: the peer, or what a trusted proxy's forwarded headers
 * say. The peer and whether it is trusted are fixed for the connection, so they are worked out
 * once, at its first request; the headers are read per request.
 */
final class ConnectionOrigin {

    private final ForwardedHeaders forwarded;
    private ForwardedHeaders.Origin direct;
    private boolean peerTrusted;

    ConnectionOrigin(ForwardedHeaders forwarded) {
        this.forwarded = forwarded;
    }

    ForwardedHeaders.Origin of(Channel channel, HttpHeaders headers) {
        if (direct == null) {
            InetSocketAddress peer = channel.remoteAddress() instanceof InetSocketAddress address ? address : null;
            direct = ForwardedHeaders.direct(peer);
            peerTrusted = forwarded.trustsPeer(peer, channel instanceof DomainSocketChannel);
        }
        return forwarded.resolveFrom(direct, peerTrusted, headers);
    }
}
