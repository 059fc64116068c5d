package dev.herd.config;

/** The execution models: where a worker runs the app's handler. See {@code dev.herd.exec}. */
public enum WorkerClass {
    /** One dedicated thread, one request at a time. */
    SYNC,
    /** A pool of {@code --threads} platform threads. */
    THREADS,
    /** A new virtual thread per request. */
    VIRTUAL,
    /** The handler runs on the event loop and must not block. */
    ASYNC
}
