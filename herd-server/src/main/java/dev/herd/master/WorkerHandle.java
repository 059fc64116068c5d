package dev.herd.master;

import dev.herd.ipc.ControlConnection;

/**
 * The master's view of one worker process: its pid, slot, generation, state and the last
 * heartbeat. Not the worker itself (that is {@code dev.herd.worker.Worker}, another process).
 * Only the master's loop thread touches it.
 */
final class WorkerHandle {

    // BOOTING -> READY -> STOPPING -> (exited);  BOOTING or READY -> KILLED -> (exited)
    enum State { BOOTING, READY, STOPPING, KILLED }

    private final Process process;
    private final int index;
    private final int generation;
    private final long spawnedNanos;
    private State state = State.BOOTING;
    private ControlConnection connection;
    private long lastHeartbeatNanos;
    private long killAtNanos;
    private long requests;
    private int inFlight;
    private int connections;

    WorkerHandle(Process process, int index, int generation, long nowNanos) {
        this.process = process;
        this.index = index;
        this.generation = generation;
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

    State state() {
        return state;
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

    void heartbeat(long nowNanos, long requests, int inFlight, int connections) {
        lastHeartbeatNanos = nowNanos;
        this.requests = requests;
        this.inFlight = inFlight;
        this.connections = connections;
    }

    long lastHeartbeatNanos() {
        return lastHeartbeatNanos;
    }

    void stopping() {
        state = State.STOPPING;
    }

    /** Marks the worker to be killed at {@code atNanos} (after its thread dump has had time to print). */
    void killAt(long atNanos) {
        state = State.KILLED;
        killAtNanos = atNanos;
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

    @Override
    public String toString() {
        return "worker " + index + " pid=" + pid();
    }
}
