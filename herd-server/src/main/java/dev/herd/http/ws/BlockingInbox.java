package dev.herd.http.ws;

import dev.herd.api.WebSocketMessage;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages a blocking app has not taken yet ({@link dev.herd.api.WebSocket#receive()}).
 * Reading the socket stops while more than {@link #PAUSE_MESSAGES} messages or
 * {@link #PAUSE_BYTES} bytes wait, and resumes once the app has taken them all. A lock and a
 * condition, not synchronized: a virtual thread waiting here parks and frees its carrier.
 */
final class BlockingInbox implements Inbox {

    static final int PAUSE_MESSAGES = 16;
    static final long PAUSE_BYTES = 1024 * 1024;

    private final WebSocketConnection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<WebSocketMessage> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean ended;
    private boolean paused;

    BlockingInbox(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public void offer(WebSocketMessage message) {
        boolean pause;
        lock.lock();
        try {
            queue.add(message);
            queuedBytes += size(message);
            pause = !paused && (queue.size() >= PAUSE_MESSAGES || queuedBytes >= PAUSE_BYTES);
            if (pause) {
                paused = true;
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
        if (pause) {
            connection.pauseReading();
        }
    }

    @Override
    public void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next message, or null once the connection has closed and every message is taken. */
    WebSocketMessage take() throws InterruptedException {
        WebSocketMessage message;
        boolean resume = false;
        lock.lock();
        try {
            while (queue.isEmpty() && !ended) {
                arrived.await();
            }
            message = queue.poll();
            if (message != null) {
                queuedBytes -= size(message);
                if (paused && queue.isEmpty()) {
                    paused = false;
                    resume = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            connection.resumeReading();
        }
        return message;
    }

    private static long size(WebSocketMessage message) {
        return switch (message) {
            case WebSocketMessage.Text(var text) -> text.length() * 2L;
            case WebSocketMessage.Binary(var data) -> data.length;
        };
    }
}
