package dev.herd.master;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The master's life in JDK Flight Recorder: a worker spawned, ready, exited or killed, a reload
 * done. Recorded only while a recording runs (HERD_MASTER_JAVA_OPTS=-XX:StartFlightRecording...,
 * or jcmd PID JFR.start), so that a recording of a worker's trouble shows the master's side of
 * it on the same timeline; free otherwise.
 */
final class MasterEvents {

    private MasterEvents() {
    }

    @Name("dev.herd.WorkerSpawned")
    @Label("Worker Spawned")
    @Category({"herd", "Master"})
    @StackTrace(false)
    static final class Spawned extends Event {
        @Label("Slot")
        int slot;
        @Label("Generation")
        int generation;
        @Label("Worker PID")
        long pid;
    }

    @Name("dev.herd.WorkerReady")
    @Label("Worker Ready")
    @Category({"herd", "Master"})
    @StackTrace(false)
    static final class Ready extends Event {
        @Label("Slot")
        int slot;
        @Label("Generation")
        int generation;
        @Label("Worker PID")
        long pid;
        @Label("Boot")
        @Description("From the worker's spawn to its Ready.")
        @Timespan(Timespan.NANOSECONDS)
        long boot;
    }

    @Name("dev.herd.WorkerExited")
    @Label("Worker Exited")
    @Category({"herd", "Master"})
    @StackTrace(false)
    static final class Exited extends Event {
        @Label("Slot")
        int slot;
        @Label("Generation")
        int generation;
        @Label("Worker PID")
        long pid;
        @Label("Exit Status")
        int status;
        @Label("Restart Cause")
        @Description("Why it is replaced (crash, exit, signal, timeout, max_requests, max_heap, reload, scale); empty when it is not.")
        String cause;
    }

    @Name("dev.herd.WorkerKilled")
    @Label("Worker Killed")
    @Category({"herd", "Master"})
    @StackTrace(false)
    static final class Killed extends Event {
        @Label("Slot")
        int slot;
        @Label("Worker PID")
        long pid;
        @Label("Reason")
        String reason;
    }

    @Name("dev.herd.Reload")
    @Label("Reload")
    @Category({"herd", "Master"})
    @StackTrace(false)
    static final class Reload extends Event {
        @Label("Generation")
        int generation;
        @Label("Duration")
        @Description("From the reload's start to the new generation serving.")
        @Timespan(Timespan.NANOSECONDS)
        long took;
    }

    static void spawned(WorkerHandle worker) {
        Spawned event = new Spawned();
        if (event.isEnabled()) {
            event.slot = worker.index();
            event.generation = worker.generation();
            event.pid = worker.pid();
            event.commit();
        }
    }

    static void ready(WorkerHandle worker, long bootNanos) {
        Ready event = new Ready();
        if (event.isEnabled()) {
            event.slot = worker.index();
            event.generation = worker.generation();
            event.pid = worker.pid();
            event.boot = bootNanos;
            event.commit();
        }
    }

    static void exited(WorkerHandle worker, int status, String cause) {
        Exited event = new Exited();
        if (event.isEnabled()) {
            event.slot = worker.index();
            event.generation = worker.generation();
            event.pid = worker.pid();
            event.status = status;
            event.cause = cause == null ? "" : cause;
            event.commit();
        }
    }

    static void killed(WorkerHandle worker, String reason) {
        Killed event = new Killed();
        if (event.isEnabled()) {
            event.slot = worker.index();
            event.pid = worker.pid();
            event.reason = reason;
            event.commit();
        }
    }

    static void reloaded(int generation, long tookNanos) {
        Reload event = new Reload();
        if (event.isEnabled()) {
            event.generation = generation;
            event.took = tookNanos;
            event.commit();
        }
    }
}
