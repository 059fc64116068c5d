package dev.herd.master;

import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.Message;

/**
 * What wakes the master's loop. Signal handlers, the control socket's event loop and process
 * exit callbacks only enqueue these; the loop thread alone acts on them.
 */
sealed interface MasterEvent {

    record SignalReceived(Signals.Kind signal) implements MasterEvent {
    }

    record ControlMessage(ControlConnection connection, Message message) implements MasterEvent {
    }

    record WorkerExited(WorkerHandle worker, int status) implements MasterEvent {
    }

    /** Something to run on the master's thread, for another thread that needs its state (the admin listener). */
    record Call(Runnable task) implements MasterEvent {
    }

    /** {@code --reload}: a file of the app changed and the changes settled. */
    record AppChanged(String what) implements MasterEvent {
    }
}
