package dev.herd.http;

import dev.herd.api.BodyOutput;
import dev.herd.api.Headers;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The body of a streamed response, after its header: what the app writes goes to the
 * connection as chunks (or raw bytes when the app declared the length), in order, from any
 * thread. Back-pressure: a write's stage completes at once while the connection is writable
 * (its unsent output under the high-water mark), else when the connection drains below the
 * low-water mark ({@link WriteGate}); one that does not wait is cut off.
 *
 * <p>State lives on the connection's event loop; public methods hop there.
 */
final class StreamingResponse implements BodyOutput {

    private static final int STREAM_BUFFER = 8 * 1024;

    /** Told once, on the loop, when the body is over: ended whole, or cut short. */
    interface Owner {
        void streamEnded(StreamingResponse stream, boolean complete);
    }

    private final ChannelHandlerContext ctx;
    private final EventLoop loop;
    private final long declaredLength;
    private final boolean chunked;
    private final boolean discardBody;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean open = true;
    /** The app's OutputStream, whose unflushed bytes go out before the end. */
    private volatile BlockingOutput blockingView;
    // Loop only.
    private Owner owner;
    private final WriteGate gate;
    private long written;
    private boolean over;
    private String closedReason = "the response body has ended";

    /**
     * @param declaredLength the app's content-length, or -1
     * @param chunked        whether the body goes out in chunks (and may carry trailers)
     * @param discardBody    a response to HEAD: writes succeed and send nothing
     */
    StreamingResponse(ChannelHandlerContext ctx, long declaredLength, boolean chunked, boolean discardBody) {
        this.ctx = ctx;
        this.loop = ctx.channel().eventLoop();
        this.declaredLength = declaredLength;
        this.chunked = chunked;
        this.discardBody = discardBody;
        this.gate = new WriteGate(ctx.channel());
    }

    /** A body that can take nothing: the exchange was already answered (request timeout). */
    static StreamingResponse dead(ChannelHandlerContext ctx, String why) {
        StreamingResponse dead = new StreamingResponse(ctx, -1, false, true);
        dead.open = false;
        dead.over = true;
        dead.closedReason = why;
        dead.closed.complete(null);
        return dead;
    }

    /** Loop only, before the first write runs: who hears of the end. */
    void owner(Owner owner) {
        this.owner = owner;
    }

    /** Body bytes written so far. Loop only. */
    long written() {
        return written;
    }

    boolean chunked() {
        return chunked;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        onLoop(() -> writeOnLoop(data, stage));
        return stage;
    }

    private void writeOnLoop(ByteBuffer data, CompletableFuture<Void> stage) {
        if (over) {
            stage.completeExceptionally(new IOException(closedReason));
            return;
        }
        int n = data.remaining();
        if (declaredLength >= 0 && written + n > declaredLength) {
            stage.completeExceptionally(new IOException("the app wrote more than its content-length of "
                    + declaredLength + " bytes"));
            cut("the body passed its content-length");
            return;
        }
        written += n;
        if (discardBody || n == 0) {
            stage.complete(null);
            return;
        }
        ChannelFuture future = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(data)));
        future.addListener(done -> {
            if (!done.isSuccess()) {
                cut("the client went away: " + done.cause());
            }
        });
        if (over) {
            // The write failed at once (the connection is closed) and cut the body just now:
            // parked in the gate, this stage would never complete, and a blocking writer would hang.
            stage.completeExceptionally(new IOException(closedReason));
        } else if (!gate.admit(stage)) {
            cut("the app ignored back-pressure, or the connection closed");
        }
    }

    /** The connection's writability changed: writers waiting may go on. Loop only. */
    void writabilityChanged() {
        gate.writabilityChanged();
    }

    @Override
    public CompletionStage<Void> end() {
        return end(Headers.empty());
    }

    @Override
    public CompletionStage<Void> end(Headers trailers) {
        BlockingOutput view = blockingView;
        if (view != null) {
            // A writer that returns without flushing its stream (herd ends the body for it) still
            // gets its last bytes out; queued ahead of the end, no wait needed.
            view.sendBuffered();
        }
        CompletableFuture<Void> stage = new CompletableFuture<>();
        onLoop(() -> endOnLoop(trailers, stage));
        return stage;
    }

    private void endOnLoop(Headers trailers, CompletableFuture<Void> stage) {
        if (over) {
            stage.complete(null);
            return;
        }
        if (declaredLength >= 0 && written != declaredLength) {
            stage.complete(null);
            cut("the app ended its body after " + written + " of its " + declaredLength + " bytes");
            return;
        }
        over = true;
        open = false;
        LastHttpContent last = LastHttpContent.EMPTY_LAST_CONTENT;
        if (chunked && !discardBody && trailers.size() > 0) {
            DefaultLastHttpContent withTrailers = new DefaultLastHttpContent();
            trailers.forEach((name, value) -> withTrailers.trailingHeaders().add(name, value));
            last = withTrailers;
        }
        ctx.writeAndFlush(last).addListener(done -> {
            stage.complete(null);
            finish(done.isSuccess());
        });
        gate.failAll(closedReason);
    }

    /**
     * Ends the body short: the connection closes, since its framing can no longer be kept. Loop
     * only; also called by the connection when the client went away or stopped reading.
     */
    void cut(String why) {
        if (over) {
            return;
        }
        over = true;
        open = false;
        closedReason = why;
        gate.failAll(why);
        finish(false);
    }

    private void finish(boolean complete) {
        closed.complete(null);
        if (owner != null) {
            Owner told = owner;
            owner = null;
            told.streamEnded(this, complete);
        }
    }


    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public CompletionStage<Void> closed() {
        return closed;
    }

    @Override
    public OutputStream outputStream() {
        BlockingOutput view = new BlockingOutput();
        blockingView = view;
        return view;
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** Waits for {@code stage} off the loop; its failure as an IOException. */
    void await(CompletionStage<Void> stage) throws IOException {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("a blocking write on the event loop would stall every connection on it:"
                    + " use the stages of BodyOutput.write");
        }
        try {
            stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the client was slow to read");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** The blocking view: buffers small writes, sends and waits when full or flushed. */
    private final class BlockingOutput extends OutputStream {
        private byte[] buffer = new byte[STREAM_BUFFER];
        private int count;
        private boolean closedStream;

        @Override
        public void write(int b) throws IOException {
            if (count == buffer.length) {
                flush();
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length >= buffer.length) {
                flush();
                await(StreamingResponse.this.write(java.util.Arrays.copyOfRange(bytes, offset, offset + length)));
                return;
            }
            if (count + length > buffer.length) {
                flush();
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }

        @Override
        public void flush() throws IOException {
            if (closedStream) {
                throw new IOException("the stream is closed");
            }
            if (count > 0) {
                byte[] out = buffer;
                int n = count;
                buffer = new byte[STREAM_BUFFER];
                count = 0;
                await(StreamingResponse.this.write(ByteBuffer.wrap(out, 0, n)));
            }
        }

        /** Queues what is buffered without waiting for it. */
        void sendBuffered() {
            if (!closedStream && count > 0) {
                byte[] out = buffer;
                int n = count;
                buffer = new byte[STREAM_BUFFER];
                count = 0;
                StreamingResponse.this.write(ByteBuffer.wrap(out, 0, n));
            }
        }

        @Override
        public void close() throws IOException {
            if (closedStream) {
                return;
            }
            flush();
            closedStream = true;
            await(end());
        }
    }
}
