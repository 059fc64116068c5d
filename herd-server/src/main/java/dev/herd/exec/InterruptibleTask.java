package dev.herd.exec;

import dev.herd.http.Cancellable;

/**
 * One request's task under a blocking model, and the handle {@code --request-timeout} uses to
 * stop it: a task cancelled while still queued never runs the app; one cancelled while running
 * has its thread interrupted. The thread is recorded only while it runs this task, under a
 * lock, so the interrupt can never hit another request that the same pooled thread runs next.
 */
final class InterruptibleTask implements Runnable, Cancellable {

    private final Runnable body;
    // QUEUED -> RUNNING -> DONE; any state -> cancelled (the client already has its 503)
    private Thread thread;
    private boolean cancelled;

    InterruptibleTask(Runnable body) {
        this.body = body;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            thread = Thread.currentThread();
        }
        try {
            body.run();
        } finally {
            synchronized (this) {
                thread = null;
                if (cancelled) {
                    // Our interrupt may have come after the app stopped looking; it must not
                    // outlive this request on a pooled thread.
                    Thread.interrupted();
                }
            }
        }
    }

    /** Runs on the event loop; never blocks for long (the lock is held only around field updates). */
    @Override
    public synchronized void cancel() {
        cancelled = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
