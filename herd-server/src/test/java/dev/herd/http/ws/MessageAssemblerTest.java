package dev.herd.http.ws;

import dev.herd.api.WebSocketMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageAssemblerTest {

    @Test
    void joinsFragmentsAcrossAUtf8CharacterAndCountsTheWholeAgainstTheLimit() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // three bytes, split over two frames
        assertThat(assembler.add(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[]{'a', euro[0]}))))
                .isNull();
        assertThat(assembler.add(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(euro, 1, 2))))
                .isEqualTo(new WebSocketMessage.Text("a€"));

        assertThat(assembler.add(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[6])))).isNull();
        assertThatThrownBy(() -> assembler.add(new ContinuationWebSocketFrame(false, 0,
                Unpooled.wrappedBuffer(new byte[5])))).isInstanceOf(MessageAssembler.TooBig.class);
        // The rest of the refused message is dropped; the next message starts afresh.
        assertThat(assembler.add(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[1]))))
                .isNull();
        WebSocketMessage whole = assembler.add(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[10])));
        assertThat(whole).isInstanceOf(WebSocketMessage.Binary.class);
        assertThat(((WebSocketMessage.Binary) whole).data()).hasSize(10);
        assertThatThrownBy(() -> assembler.add(new TextWebSocketFrame("eleven char")))
                .isInstanceOf(MessageAssembler.TooBig.class);
    }
}
