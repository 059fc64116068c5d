package dev.herd.ipc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;

import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control socket's codec on any bytes: a frame body either decodes to a message that
 * encodes to a frame that decodes to the same message, or fails with an IOException; a byte stream through the
 * channel codec gives messages or a DecoderException, and a frame length past the limit is
 * refused before anything is allocated for it. A worker or client sending garbage can cost
 * its own connection, never the master. Seeds and crash inputs: {@code MessageCodecFuzzTestInputs}.
 */
class MessageCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void frames(byte[] bytes) {
        if (bytes == null) {
            return; // the mutator's way of saying nothing: a read is never null
        }
        try {
            // What was decoded encodes to a frame that decodes to the same (DataInput's modified
            // UTF-8 takes a raw NUL that it writes back as C0 80, so bytes may differ, never meaning).
            byte[] frame = MessageCodec.encode(MessageCodec.decode(bytes));
            byte[] again = MessageCodec.encode(MessageCodec.decode(Arrays.copyOfRange(frame, 4, frame.length)));
            assertThat(again).isEqualTo(frame);
        } catch (IOException expected) {
            // refused: the connection that sent it is closed
        }
        EmbeddedChannel channel = new EmbeddedChannel(new MessageChannelCodec());
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            channel.finish(); // the peer closes: a frame cut short is refused too
            for (Object message; (message = channel.readInbound()) != null; ) {
                assertThat(message).isInstanceOf(Message.class);
            }
        } catch (CorruptedFrameException expected) {
            assertThat(expected).hasMessageStartingWith("control frame length");
        } catch (DecoderException expected) {
            assertThat(expected.getCause()).isInstanceOf(IOException.class);
        } finally {
            channel.releaseInbound();
            channel.releaseOutbound();
        }
    }
}
