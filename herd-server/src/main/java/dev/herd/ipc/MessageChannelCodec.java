package dev.herd.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * Netty adapter for {@link MessageCodec}: frames in, {@link Message}s out, and back. Descriptor
 * objects pass through untouched (the decoder only handles bytes).
 */
final class MessageChannelCodec extends ByteToMessageCodec<Message> {

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, ByteBuf out) {
        out.writeBytes(MessageCodec.encode(message));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length <= 0 || length > MessageCodec.MAX_FRAME) {
                throw new CorruptedFrameException("control frame length " + length);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            byte[] body = ByteBufUtil.getBytes(in, in.readerIndex(), length);
            in.skipBytes(length);
            out.add(MessageCodec.decode(body));
        }
    }

    static ByteBuf frame(Message message) {
        return Unpooled.wrappedBuffer(MessageCodec.encode(message));
    }
}
