package dev.herd.http;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * Read policies for channels whose reads are not bytes (accepted connections, received
 * descriptors). Netty decides whether to read on from the bytes the last read returned,
 * which for these says nothing, so it reads one item per wake-up; these read until the
 * socket is empty or the bound is reached.
 */
public final class Reads {

    private Reads() {
    }

    /** Reads until nothing is left, at most {@code items} per wake-up. */
    public static RecvByteBufAllocator upTo(int items) {
        AdaptiveRecvByteBufAllocator reads = new AdaptiveRecvByteBufAllocator();
        reads.maxMessagesPerRead(items);
        reads.respectMaybeMoreData(false);
        return reads;
    }
}
