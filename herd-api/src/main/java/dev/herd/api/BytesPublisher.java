package dev.herd.api;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/** An in-memory body as a publisher: one chunk (none when empty), then completion. */
final class BytesPublisher implements Flow.Publisher<ByteBuffer> {

    private final byte[] bytes;

    BytesPublisher(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicBoolean done = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    if (done.compareAndSet(false, true)) {
                        subscriber.onError(new IllegalArgumentException("demand must be positive, got " + n));
                    }
                } else if (done.compareAndSet(false, true)) {
                    if (bytes.length > 0) {
                        subscriber.onNext(ByteBuffer.wrap(bytes.clone()));
                    }
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                done.set(true);
            }
        });
    }
}
