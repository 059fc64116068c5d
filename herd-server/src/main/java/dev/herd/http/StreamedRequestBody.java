package dev.herd.http;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.herd.api.RequestBody;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body the app reads while it arrives. The connection's event loop {@link #offer}s
 * each chunk the decoder produces; the app takes them through a blocking {@link InputStream}
 * (on its own thread) or a {@link Flow.Publisher} (chunks delivered on the loop as demanded).
 *
 * <p>Bounded memory: once more than {@link #HIGH_WATER} bytes wait for the app, the connection
 * stops reading its socket (auto-read off: the kernel's receive buffer fills and TCP tells the
 * client to wait), and reads again when the app has taken the queue below {@link #LOW_WATER}.
 * At most one socket read lands beyond the mark.
 *
 * <p>Threads: {@code offer}, {@code finish}, {@code fail} and {@code discard} run on the loop; the
 * stream's reads on the app's thread. The queue is guarded by {@link #lock}.
 */
final class StreamedRequestBody implements RequestBody {

    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    private final Channel channel;
    private final EventLoop loop;
    private final long length;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    // Guarded by lock.
    private long queuedBytes;
    private boolean ended;
    private Throwable failure;
    private boolean discarded;
    private boolean consumed;
    // Loop only.
    private boolean paused;
    private long receivedBytes;
    private boolean firstDemand = true;
    private Publication publication;
    /** Run on the loop when the app first asks for data (100-continue). */
    private Runnable onFirstDemand = () -> { };

    StreamedRequestBody(Channel channel, long length) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.length = length;
    }

    /**
     * Runs {@code stalled} once, on the loop, if the app waits for body bytes the client does not
     * send for {@code limit} (checked every {@code limit}: it fires between one and two limits
     * after the last byte). Time the app spends not reading, or before it first asks (the client
     * may be waiting for its 100 Continue), does not count.
     */
    void watchForStall(Duration limit, Runnable stalled) {
        if (limit.isZero()) {
            return;
        }
        long[] seen = {-1};
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = loop.scheduleAtFixedRate(() -> {
            if (ended() || discarded || !channel.isActive()) {
                task[0].cancel(false);
                return;
            }
            boolean waitingForClient;
            lock.lock();
            try {
                waitingForClient = !firstDemand && !paused && queuedBytes == 0;
            } finally {
                lock.unlock();
            }
            if (!waitingForClient || receivedBytes != seen[0]) {
                seen[0] = receivedBytes;
                return;
            }
            task[0].cancel(false);
            stalled.run();
        }, limit.toNanos(), limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Loop only: what to do when the app first asks for the body. */
    void onFirstDemand(Runnable action) {
        this.onFirstDemand = action;
    }

    @Override
    public long length() {
        return length;
    }

    /** Bytes of body received so far. Loop only. */
    long receivedBytes() {
        return receivedBytes;
    }

    /** Loop only. True once the last chunk has come (or the body failed). */
    boolean ended() {
        lock.lock();
        try {
            return ended || failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** The next chunk of the body, taken over (released here if the app no longer wants it). Loop only. */
    void offer(ByteBuf chunk) {
        receivedBytes += chunk.readableBytes();
        lock.lock();
        try {
            if (discarded || failure != null) {
                chunk.release();
                return;
            }
            if (!chunk.isReadable()) {
                chunk.release();
                return;
            }
            chunks.add(chunk);
            queuedBytes += chunk.readableBytes();
            if (queuedBytes > HIGH_WATER && !paused) {
                paused = true;
                channel.config().setAutoRead(false);
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        deliver();
    }

    /** The body's last chunk has come. Loop only. */
    void finish() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        deliver();
    }

    /** The body cannot complete: the reader gets {@code cause}. Loop only. */
    void fail(Throwable cause) {
        lock.lock();
        try {
            if (failure == null && !ended) {
                failure = cause;
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        deliver();
        resumeReading();
    }

    /** Nobody will read the rest: drop what waits and what comes, and let the socket be read. Loop only. */
    void discard() {
        lock.lock();
        try {
            discarded = true;
            if (failure == null && !ended) {
                failure = new IOException("the request is over; its body can no longer be read");
            }
            releaseQueued();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        resumeReading();
    }

    private void releaseQueued() {
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            chunk.release();
        }
        queuedBytes = 0;
    }

    private void resumeReading() {
        if (paused) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }

    /** The app took bytes: read the socket again once the queue is low. Any thread. */
    private void taken() {
        if (loop.inEventLoop()) {
            resumeIfLow();
        } else {
            loop.execute(this::resumeIfLow);
        }
    }

    private void resumeIfLow() {
        long queued;
        lock.lock();
        try {
            queued = queuedBytes;
        } finally {
            lock.unlock();
        }
        if (queued < LOW_WATER) {
            resumeReading();
        }
    }

    private void demanded() {
        if (loop.inEventLoop()) {
            firstDemandOnLoop();
        } else {
            loop.execute(this::firstDemandOnLoop);
        }
    }

    private void firstDemandOnLoop() {
        if (firstDemand) {
            firstDemand = false;
            onFirstDemand.run();
        }
    }

    private void claim() {
        lock.lock();
        try {
            if (consumed) {
                throw new IllegalStateException("the request body is already being read");
            }
            consumed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public InputStream inputStream() {
        claim();
        return new BodyInputStream();
    }

    @Override
    public Flow.Publisher<ByteBuffer> publisher() {
        return subscriber -> {
            claim();
            Publication p = new Publication(subscriber);
            loop.execute(() -> {
                publication = p;
                subscriber.onSubscribe(p);
                deliver();
            });
        };
    }

    /** Hands queued chunks to the subscriber as far as its demand goes. Loop only. */
    private void deliver() {
        Publication p = publication;
        if (p == null || p.done) {
            return;
        }
        while (p.demand > 0 && !p.done) {
            ByteBuf chunk;
            Throwable failed;
            boolean end;
            lock.lock();
            try {
                chunk = chunks.poll();
                if (chunk != null) {
                    queuedBytes -= chunk.readableBytes();
                }
                failed = failure;
                end = ended && chunks.isEmpty();
            } finally {
                lock.unlock();
            }
            if (chunk != null) {
                ByteBuffer copy = ByteBuffer.allocate(chunk.readableBytes());
                chunk.readBytes(copy);
                chunk.release();
                copy.flip();
                p.demand--;
                resumeIfLow();
                p.subscriber.onNext(copy);
                continue;
            }
            if (failed != null) {
                p.done = true;
                p.subscriber.onError(failed);
            } else if (end) {
                p.done = true;
                p.subscriber.onComplete();
            }
            return;
        }
        if (!p.done) {
            lock.lock();
            try {
                if (chunks.isEmpty() && ended) {
                    p.done = true;
                }
            } finally {
                lock.unlock();
            }
            if (p.done) {
                p.subscriber.onComplete();
            }
        }
    }

    /** A subscriber's demand; loop only. */
    private final class Publication implements Flow.Subscription {
        final Flow.Subscriber<? super ByteBuffer> subscriber;
        long demand;
        boolean done;

        Publication(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            loop.execute(() -> {
                if (done) {
                    return;
                }
                if (n <= 0) {
                    done = true;
                    subscriber.onError(new IllegalArgumentException("demand must be positive, got " + n));
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                firstDemandOnLoop();
                deliver();
            });
        }

        @Override
        public void cancel() {
            loop.execute(() -> {
                done = true;
                discard();
            });
        }
    }

    /** The blocking view, read on the app's thread; one reader. */
    private final class BodyInputStream extends InputStream {
        private ByteBuf current;
        private boolean asked;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            if (current == null || !current.isReadable()) {
                if (current != null) {
                    current.release();
                    current = null;
                }
                current = next();
                if (current == null) {
                    return -1;
                }
            }
            int n = Math.min(length, current.readableBytes());
            current.readBytes(into, offset, n);
            return n;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.readableBytes();
        }

        private ByteBuf next() throws IOException {
            if (loop.inEventLoop()) {
                throw new IllegalStateException("a blocking read of the request body on the event loop would stall"
                        + " every connection on it: use Request.bodyPublisher() or Request.readBody()");
            }
            if (!asked) {
                asked = true;
                demanded();
            }
            ByteBuf chunk;
            lock.lock();
            try {
                while ((chunk = chunks.poll()) == null) {
                    if (failure != null) {
                        throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
                    }
                    if (ended) {
                        return null;
                    }
                    try {
                        arrived.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for the request body");
                    }
                }
                queuedBytes -= chunk.readableBytes();
            } finally {
                lock.unlock();
            }
            taken();
            return chunk;
        }

        @Override
        public void close() {
            if (current != null) {
                current.release();
                current = null;
            }
        }
    }
}
