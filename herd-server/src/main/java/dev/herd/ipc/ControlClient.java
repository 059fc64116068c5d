package dev.herd.ipc;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollDomainSocketChannelConfig;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A worker's end of the control socket. Messages arrive on the control event loop and are
 * handed to the worker's consumer; when the connection closes (the master is gone) the
 * {@code onClose} action runs.
 */
public final class ControlClient {

    private final Channel channel;
    private final Handler handler;

    private ControlClient(Channel channel, Handler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    /** Connects; {@code onMessage} and {@code onClose} run on the control event loop and must not block. */
    public static ControlClient connect(EventLoopGroup group, Path socketPath, Consumer<Message> onMessage,
                                        Runnable onClose) throws InterruptedException {
        Handler handler = new Handler(onMessage, onClose);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(EpollDomainSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new MessageChannelCodec(), handler);
                    }
                });
        Channel channel = bootstrap.connect(new DomainSocketAddress(socketPath.toFile())).sync().channel();
        return new ControlClient(channel, handler);
    }

    public void send(Message message) {
        channel.writeAndFlush(message);
    }

    /**
     * Switches the connection to reading descriptors, tells the master so, and completes with
     * {@code count} descriptors, after which the connection reads bytes again. Must be called
     * on the control event loop (from the message consumer), before anything else is read.
     */
    public CompletableFuture<List<Integer>> receiveListeners(int count) {
        CompletableFuture<List<Integer>> future = new CompletableFuture<>();
        if (count == 0) {
            future.complete(List.of());
            return future;
        }
        config().setReadMode(DomainSocketReadMode.FILE_DESCRIPTORS);
        handler.expectDescriptors(count, fds -> {
            config().setReadMode(DomainSocketReadMode.BYTES);
            future.complete(fds);
        });
        send(new Message.AwaitingListeners());
        return future;
    }

    public void close() {
        channel.close();
    }

    private EpollDomainSocketChannelConfig config() {
        return ((EpollDomainSocketChannel) channel).config();
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final Consumer<Message> onMessage;
        private final Runnable onClose;
        private final List<Integer> descriptors = new ArrayList<>();
        private int expected;
        private Consumer<List<Integer>> whenAllArrived;

        Handler(Consumer<Message> onMessage, Runnable onClose) {
            this.onMessage = onMessage;
            this.onClose = onClose;
        }

        void expectDescriptors(int count, Consumer<List<Integer>> then) {
            expected = count;
            whenAllArrived = then;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            switch (msg) {
                case Message message -> onMessage.accept(message);
                case FileDescriptor fd -> {
                    descriptors.add(fd.intValue());
                    if (descriptors.size() == expected) {
                        whenAllArrived.accept(List.copyOf(descriptors));
                    }
                }
                default -> throw new IllegalStateException("unexpected control input " + msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClose.run();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
