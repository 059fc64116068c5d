package dev.herd.ipc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {

    @Test
    void everyMessageSurvivesARoundTrip() throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("workers", "4");
        config.put("bind", "127.0.0.1:8000,[::1]:9000");
        List<Message> messages = List.of(
                new Message.Hello(4242, 3, 7),
                new Message.Welcome(config, List.of("127.0.0.1:8000", "[::1]:9000")),
                new Message.AwaitingListeners(),
                new Message.Ready(312),
                new Message.Heartbeat(1_000_000_000_000L, 12, 64, 3, 9),
                new Message.Handoff(4242, 1),
                new Message.Load(64, 12, 1_000_000_000L),
                new Message.Taken(),
                new Message.Stop(30_000),
                new Message.Retire("served 1000 requests"),
                new Message.ReopenLogs(),
                new Message.StopAccepting(),
                new Message.Command("scale", List.of("4")),
                new Message.Reply(0, "é".repeat(70_000)));
        for (Message message : messages) {
            assertThat(roundTrip(message)).isEqualTo(message);
        }
    }

    @Test
    void lengthPrefixCountsTagAndFields() {
        byte[] frame = MessageCodec.encode(new Message.Ready(1));
        int length = ((frame[0] & 0xff) << 24) | ((frame[1] & 0xff) << 16) | ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
        assertThat(length).isEqualTo(frame.length - 4).isEqualTo(1 + 8);
    }

    @Test
    void unknownTagAndTrailingBytesAreRejected() {
        assertThatThrownBy(() -> MessageCodec.decode(new byte[]{99})).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown message tag 99");
        byte[] frame = MessageCodec.encode(new Message.Stop(5));
        byte[] body = Arrays.copyOfRange(frame, 4, frame.length + 1);
        assertThatThrownBy(() -> MessageCodec.decode(body)).isInstanceOf(IOException.class)
                .hasMessageContaining("trailing bytes");
    }

    private static Message roundTrip(Message message) throws IOException {
        byte[] frame = MessageCodec.encode(message);
        return MessageCodec.decode(Arrays.copyOfRange(frame, 4, frame.length));
    }
}
