package dev.herd.lab;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * {@link LoadLane}'s WebSocket twin: one event loop's WebSockets, each with one text message in
 * flight, answered by the server's next message (an echo endpoint). A message is counted, and
 * timed from its intended send time, when its answer arrives within the measured window; an
 * answer of another length counts as an error, as does a connection lost with a message in
 * flight or a handshake that failed. Lost connections are opened again.
 */
final class WebSocketLane extends PacedLane<WebSocketLane.EchoSession> {

    private final LoadSpec spec;
    private final URI uri;
    private final Bootstrap bootstrap;
    private final ByteBuf payload;
    private final int messageBytes;
    private final boolean deflate;

    WebSocketLane(EventLoop loop, LoadSpec spec, int messageBytes, boolean deflate, int connections,
                  RateSchedule schedule, long measureFrom, long measureUntil) {
        if (messageBytes < 1) {
            throw new IllegalArgumentException("a message has at least 1 byte, got " + messageBytes);
        }
        super(loop, connections, schedule, measureFrom, measureUntil);
        this.spec = spec;
        this.messageBytes = messageBytes;
        this.deflate = deflate;
        this.uri = WebSocketSession.uri(spec.host(), spec.port(), spec.mix().path(0));
        byte[] text = new byte[messageBytes];
        Arrays.fill(text, (byte) 'x');
        this.payload = Unpooled.directBuffer(messageBytes).writeBytes(text);
        this.bootstrap = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(WebSocketSession.initializer(EchoSession::new, deflate));
    }

    @Override
    void closeAll() {
        for (Channel channel : List.copyOf(open)) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        }
        payload.release();
    }

    @Override
    void send(EchoSession session, long intendedNanos) {
        session.send(intendedNanos);
    }

    @Override
    void connect() {
        if (stopped) {
            return;
        }
        bootstrap.connect(spec.host(), spec.port()).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                reconnectLater();
            }
        });
    }

    private void reconnectLater() {
        countError();
        connectLater();
    }

    /** One WebSocket with at most one message in flight. */
    final class EchoSession extends WebSocketSession {

        /** Intended send time of the message in flight; -1 when none is. */
        private long intended = -1;

        EchoSession() {
            super(uri, deflate);
        }

        void send(long intendedNanos) {
            intended = intendedNanos;
            channel.writeAndFlush(new TextWebSocketFrame(payload.retainedDuplicate()));
        }

        @Override
        void opened() {
            open.add(channel);
            dispatch(this);
        }

        @Override
        void message(WebSocketFrame frame) {
            if (intended >= 0) {
                long sentAt = intended;
                intended = -1;
                completed(this, sentAt, frame instanceof TextWebSocketFrame
                        && frame.content().readableBytes() == messageBytes);
            }
        }

        @Override
        void closed(boolean wasOpen) {
            open.remove(channel);
            idle.remove(this);
            if (stopped) {
                return;
            }
            if (!wasOpen) {
                reconnectLater();
                return;
            }
            if (intended >= 0) {
                countError();
            }
            connect();
        }
    }
}
