package dev.herd.http.ws;

import dev.herd.api.Request;
import dev.herd.api.WebSocket;
import dev.herd.api.WebSocketClose;
import dev.herd.api.WebSocketListener;
import dev.herd.api.WebSocketMessage;
import dev.herd.http.WriteGate;
import dev.herd.http.WriteStallWatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket after its handshake: the last handler of the connection's pipeline (frames in,
 * after Netty's decoder, the inflater and the UTF-8 check) and the app's {@link WebSocket}.
 *
 * <p>It joins fragments into messages (at most {@code --ws-max-message}), answers pings, pings
 * the client, closes a connection it heard nothing from for {@code --ws-idle-timeout}, keeps
 * the closing handshake, and applies back-pressure both ways: the socket is not read while the
 * app has messages it has not taken, and a send's stage completes only once the connection's
 * unsent output is below its high-water mark.
 *
 * <p>State lives on the connection's event loop; the app's calls hop there.
 */
public final class WebSocketConnection extends ChannelInboundHandlerAdapter implements WebSocket {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private final Channel channel;
    private final EventLoop loop;
    private final Request request;
    private final String subprotocol;
    private final WebSocketSettings settings;
    private final Object drainEvent;
    private final Runnable onEnd;
    private final WebSocketListener listener;
    private final BlockingInbox blockingInbox;
    private final Inbox inbox;
    private final CompletableFuture<WebSocketClose> closed = new CompletableFuture<>();
    /** What {@link #sendAndWait} has handed to the loop without waiting, and the loop has not written yet. */
    private final AtomicLong inTransit = new AtomicLong();
    private static final long IN_TRANSIT_BYTES = 64 * 1024;
    private volatile boolean open = true;
    // Event loop only.
    private ChannelHandlerContext ctx;
    /** The connection has closed and everything waiting on it was told. */
    private boolean over;
    private final ClosingHandshake closing = new ClosingHandshake();
    private final MessageAssembler assembler;
    private final Liveness liveness;
    private final WriteGate gate;
    private final WriteStallWatch writeStall;

    /**
     * @param listener   the app's callbacks, or null for a blocking app that calls {@link #receive()}
     * @param drainEvent the pipeline event that means the worker drains
     * @param onEnd      run once on the loop when the connection has closed
     */
    public WebSocketConnection(Channel channel, Request request, String subprotocol, WebSocketSettings settings,
                               WebSocketListener listener, Object drainEvent, Runnable onEnd) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.request = request;
        this.subprotocol = subprotocol;
        this.settings = settings;
        this.listener = listener;
        this.drainEvent = drainEvent;
        this.onEnd = onEnd;
        this.assembler = new MessageAssembler(settings.maxMessage());
        this.liveness = new Liveness(channel, settings.pingInterval(), settings.idleTimeout(), this::ping, this::idle);
        this.gate = new WriteGate(channel);
        this.writeStall = new WriteStallWatch(channel, settings.writeTimeout(), this::writeStalled);
        if (listener == null) {
            blockingInbox = new BlockingInbox(this);
            inbox = blockingInbox;
        } else {
            blockingInbox = null;
            inbox = new ListenerInbox(this, listener);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The 101 is out: the connection is open. Loop only. */
    void opened() {
        liveness.start();
        if (listener != null) {
            try {
                listener.onOpen(this);
            } catch (Throwable t) {
                listenerFailed(t);
            }
        }
    }

    // ---- frames in ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            liveness.heard();
            switch (frame) {
                case PingWebSocketFrame ping -> {
                    if (!closing.closeSent()) {
                        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                    }
                }
                case PongWebSocketFrame ignored -> {
                }
                case CloseWebSocketFrame close -> closeReceived(close);
                case TextWebSocketFrame data -> message(data);
                case BinaryWebSocketFrame data -> message(data);
                case ContinuationWebSocketFrame data -> message(data);
                default -> startClose(WebSocketClose.PROTOCOL_ERROR, "unexpected frame");
            }
        } finally {
            frame.release();
        }
    }

    private void message(WebSocketFrame frame) {
        if (closing.closing()) {
            return; // what still comes is dropped
        }
        WebSocketMessage whole;
        try {
            whole = assembler.add(frame);
        } catch (MessageAssembler.TooBig e) {
            tooBig();
            return;
        }
        if (whole != null) {
            inbox.offer(whole);
        }
    }

    private void tooBig() {
        log.debug("WebSocket from {}: a message over --ws-max-message ({} bytes)", channel.remoteAddress(),
                settings.maxMessage());
        startClose(WebSocketClose.TOO_BIG, "message over " + settings.maxMessage() + " bytes");
    }

    private void closeReceived(CloseWebSocketFrame frame) {
        open = false;
        closing.received(ctx, frame);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (root instanceof CorruptedWebSocketFrameException corrupt) {
            // The decoder or the UTF-8 check refused a frame (and now drops what follows): answer
            // with its code, then close. They are told not to close themselves, since the decoder
            // drops the connection without a close frame when the bad frame is a close frame.
            log.debug("WebSocket from {} failed: {}", channel.remoteAddress(), corrupt.getMessage());
            fail(corrupt.closeStatus().code(), corrupt.closeStatus().reasonText());
        } else if (root instanceof DecompressionException) {
            // The inflater stopped at --ws-max-message.
            tooBig();
        } else if (root instanceof IOException) {
            log.debug("WebSocket from {}: {}", channel.remoteAddress(), root.toString());
            ctx.close();
        } else {
            log.warn("WebSocket from {} failed; closing it", channel.remoteAddress(), root);
            ctx.close();
        }
    }

    /** Fails the connection with {@code code} ({@link ClosingHandshake#fail}). */
    private void fail(int code, String reason) {
        open = false;
        closing.fail(ctx, code, reason);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == drainEvent) {
            // Clients reconnect, to a worker of the new generation.
            startClose(WebSocketClose.GOING_AWAY, "server going away");
        } else if (event instanceof ChannelInputShutdownEvent) {
            // The client closed its side (with or without a close frame first): nothing more can
            // come, so the WebSocket is closed (RFC 6455, 7.1.4); without a close frame, 1006.
            open = false;
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended(true);
    }

    /**
     * The client went before the 101 could go out (the app took its time deciding): the app's
     * handler finds the WebSocket closed (1006) at once, and nothing was counted. Loop only.
     */
    public void abandon() {
        ended(false);
    }

    private void ended(boolean counted) {
        if (over) {
            return;
        }
        over = true;
        open = false;
        liveness.stop();
        closing.ended();
        writeStall.cancel();
        WebSocketClose status = closing.status();
        inbox.end();
        gate.failAll("the WebSocket has closed (" + status.code() + ")");
        if (listener != null) {
            try {
                listener.onClose(this, status);
            } catch (Throwable t) {
                log.error("the app's WebSocket listener failed in onClose", t);
            }
        }
        closed.complete(status);
        if (counted) {
            onEnd.run();
        }
    }

    private void ping() {
        if (!closing.closeSent() && channel.isActive()) {
            ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(System.nanoTime())));
        }
    }

    private void idle() {
        log.debug("WebSocket from {}: nothing heard for {} s (--ws-idle-timeout)", channel.remoteAddress(),
                settings.idleTimeout().toSeconds());
        startClose(WebSocketClose.GOING_AWAY, "idle timeout");
    }

    // ---- frames out ----

    @Override
    public CompletionStage<Void> send(WebSocketMessage message) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        onLoop(() -> write(message, stage));
        return stage;
    }

    private void write(WebSocketMessage message, CompletableFuture<Void> stage) {
        if (closing.closeSent() || !channel.isActive()) {
            stage.completeExceptionally(new IOException("the WebSocket is closing or closed"));
            return;
        }
        WebSocketFrame frame = switch (message) {
            // String.getBytes is an intrinsic; Netty's TextWebSocketFrame(String) counts and then
            // copies the text a char at a time (a tenth of the loop's time in a 16-byte echo).
            case WebSocketMessage.Text(var text) ->
                    new TextWebSocketFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
            case WebSocketMessage.Binary(var data) -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data));
        };
        ctx.writeAndFlush(frame, ctx.voidPromise());
        if (!gate.admit(stage) && channel.isActive()) {
            log.warn("closed a WebSocket from {}: over {} bytes unsent, the app sends without waiting for its"
                    + " stages", channel.remoteAddress(), WriteGate.RUNAWAY_BYTES);
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        gate.writabilityChanged();
        writeStall.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    private void writeStalled() {
        log.info("closed a WebSocket from {}: its client took nothing for {} s (--write-timeout)",
                channel.remoteAddress(), settings.writeTimeout().toSeconds());
        ctx.close();
    }

    @Override
    public void sendAndWait(WebSocketMessage message) throws IOException, InterruptedException {
        requireOffLoop("sendAndWait");
        if (!open) {
            throw new IOException("the WebSocket is closing or closed");
        }
        long size = size(message);
        if (channel.isWritable() && inTransit.get() + size <= IN_TRANSIT_BYTES) {
            // The connection takes more: hand the frame to the loop and go on, instead of
            // parking until the loop has run the write (a wake-up each way per message).
            // inTransit bounds what is handed over but not yet written; past it, or once the
            // connection is unwritable, the caller waits as below. A write that fails later
            // (the client went) shows in the next call.
            inTransit.addAndGet(size);
            onLoop(() -> {
                inTransit.addAndGet(-size);
                write(message, new CompletableFuture<>());
            });
            return;
        }
        try {
            send(message).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private static long size(WebSocketMessage message) {
        return switch (message) {
            case WebSocketMessage.Text(var text) -> 3L * text.length(); // UTF-8, at most
            case WebSocketMessage.Binary(var data) -> data.length;
        };
    }

    // ---- closing ----

    @Override
    public CompletionStage<WebSocketClose> close(int code, String reason) {
        if (!(code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999)) {
            throw new IllegalArgumentException("not a close code an endpoint may send: " + code);
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("a close reason is at most 123 bytes of UTF-8");
        }
        onLoop(() -> startClose(code, reason));
        return closed;
    }

    /** Sends a close frame, once ({@link ClosingHandshake#start}). Loop only. */
    private void startClose(int code, String reason) {
        open = false;
        if (closing.start(ctx, code, reason)) {
            assembler.reset();
        }
    }

    /** The app's listener threw, or its stage failed. Loop only. */
    void listenerFailed(Throwable error) {
        log.error("the app's WebSocket listener failed; closing the WebSocket from {} with 1011",
                channel.remoteAddress(), error);
        try {
            listener.onError(this, error);
        } catch (Throwable t) {
            log.error("the app's WebSocket listener failed in onError", t);
        }
        startClose(WebSocketClose.SERVER_ERROR, "server error");
    }

    /** A blocking app's handler returned or threw: the connection closes if it has not yet. Any thread. */
    public void handlerDone(Throwable error) {
        if (error == null) {
            onLoop(() -> startClose(WebSocketClose.NORMAL, ""));
        } else {
            onLoop(() -> startClose(WebSocketClose.SERVER_ERROR, "server error"));
        }
    }

    // ---- reading ----

    @Override
    public WebSocketMessage receive() throws InterruptedException {
        if (blockingInbox == null) {
            throw new IllegalStateException("this WebSocket is served by a WebSocketListener, which gets its messages");
        }
        requireOffLoop("receive");
        return blockingInbox.take();
    }

    void pauseReading() {
        onLoop(() -> channel.config().setAutoRead(false));
    }

    void resumeReading() {
        onLoop(() -> {
            if (channel.isActive()) {
                channel.config().setAutoRead(true);
            }
        });
    }

    // ---- the rest of WebSocket ----

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public CompletionStage<WebSocketClose> closed() {
        return closed;
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void requireOffLoop(String call) {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("WebSocket." + call + " blocks; on an event loop it would stall every"
                    + " connection on it: use a WebSocketListener and send's stages");
        }
    }

    @Override
    public String toString() {
        return "WebSocket[" + request.path() + " from " + channel.remoteAddress() + "]";
    }
}
