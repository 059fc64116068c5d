package dev.herd.master;

import dev.herd.config.Config;
import dev.herd.ipc.ControlConnection;

/**
 * The master's view of one worker process: its pid, slot, generation, the configuration it
 * was started with, its state and its last heartbeat. Not the worker itself (that is
 * {@code dev.herd.worker.Worker}, another process). Only the master's loop thread touches it.
 */
final class WorkerHandle {

    // BOOTING -> READY -> (RETIRING ->) STOPPING -> exited;  BOOTING, READY or RETIRING -> KILLED -> exited
    enum State {
        /** Spawned, not ready yet. */
        BOOTING,
        /** Serving. */
        READY,
        /** Serving, but asked to be replaced; stopped once its successor is ready. */
        RETIRING,
        /** Told to stop gracefully; draining. */
        STOPPING,
        /** To be killed at {@link #killAtNanos()} (timed out, or a boot abandoned). */
        KILLED
    }

    private final Process process;
    private final int index;
    private final int generation;
    private final Config config;
    private final long spawnedNanos;
    private State state = State.BOOTING;
    private ControlConnection connection;
    private long lastHeartbeatNanos;
    private long killAtNanos;
    private boolean abandoned;
    /** Why the master ends it (for the restart counts): reload, scale, timeout, max_requests, max_heap, signal (a TERM of its own). */
    private String endCause;
    private long requests;
    private int inFlight;
    private int connections;
    /** Streamed responses and event streams open at the last heartbeat. */
    private int streams;
    private int webSockets;

    WorkerHandle(Process process, int index, int generation, Config config, long nowNanos) {
        this.process = process;
        this.index = index;
        this.generation = generation;
        this.config = config;
        this.spawnedNanos = nowNanos;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    int index() {
        return index;
    }

    int generation() {
        return generation;
    }

    /** The configuration this worker was started with (a reload starts workers with a newer one). */
    Config config() {
        return config;
    }

    State state() {
        return state;
    }

    /** Booting or serving, and not on its way out: it holds its slot. */
    boolean holdsSlot() {
        return state == State.BOOTING || state == State.READY;
    }

    /** Serving requests now (a retiring worker still serves). */
    boolean serving() {
        return state == State.READY || state == State.RETIRING;
    }

    long spawnedNanos() {
        return spawnedNanos;
    }

    ControlConnection connection() {
        return connection;
    }

    void attach(ControlConnection connection) {
        this.connection = connection;
    }

    void ready(long nowNanos) {
        state = State.READY;
        lastHeartbeatNanos = nowNanos;
    }

    void heartbeat(long nowNanos, long requests, int inFlight, int connections, int streams, int webSockets) {
        lastHeartbeatNanos = nowNanos;
        this.requests = requests;
        this.inFlight = inFlight;
        this.connections = connections;
        this.streams = streams;
        this.webSockets = webSockets;
    }

    /** Records why the master ends this worker; the first reason given stands. */
    void endCause(String cause) {
        if (endCause == null) {
            endCause = cause;
        }
    }

    String endCause() {
        return endCause;
    }

    long lastHeartbeatNanos() {
        return lastHeartbeatNanos;
    }

    void retiring() {
        state = State.RETIRING;
    }

    void stopping() {
        state = State.STOPPING;
    }

    /** Marks the worker to be killed at {@code atNanos} (after its thread dump has had time to print). */
    void killAt(long atNanos) {
        state = State.KILLED;
        killAtNanos = atNanos;
    }

    /**
     * Kills the worker now because it is no longer wanted (a reload given up, a scale-down or a
     * stop while it was booting): its exit is not a failure.
     */
    void abandon(long nowNanos) {
        killAt(nowNanos);
        abandoned = true;
    }

    boolean abandoned() {
        return abandoned;
    }

    long killAtNanos() {
        return killAtNanos;
    }

    boolean everReady() {
        return lastHeartbeatNanos != 0;
    }

    long requests() {
        return requests;
    }

    int inFlight() {
        return inFlight;
    }

    int connections() {
        return connections;
    }

    int streams() {
        return streams;
    }

    int webSockets() {
        return webSockets;
    }

    @Override
    public String toString() {
        return "worker " + index + " pid=" + pid();
    }
}
