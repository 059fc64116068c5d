package dev.herd.ipc;

import java.util.List;
import java.util.Map;

/**
 * Everything the master and a worker say to each other over the control socket. The order of a
 * worker's life is fixed:
 *
 * <pre>
 * worker                              master
 *   Hello(pid, index, generation)  -&gt;
 *                                  &lt;-   Welcome(config, listeners)
 *   (switches to reading fds)
 *   AwaitingListeners              -&gt;
 *                                  &lt;-   one listening socket fd per listener (SCM_RIGHTS)
 *   (back to reading bytes, boots the app)
 *   Ready                          -&gt;
 *   Heartbeat ... every interval   -&gt;
 *   Retire(reason), when it wants replacing (max requests, heap) -&gt;
 *                                  &lt;-   ReopenLogs, on USR1
 *                                  &lt;-   Stop(grace)
 *   (drains, exits 0)
 * </pre>
 *
 * <p>The control CLI ({@code herd ctl}) uses the same socket: it sends one {@code Command}
 * and reads one {@code Reply}.
 *
 * <p>The master sends nothing between {@code Welcome} and the descriptors, because the worker
 * cannot read bytes and descriptors at the same time: a data byte read while it waits for
 * descriptors would be lost, and a descriptor arriving while it reads bytes would be dropped by
 * the kernel.
 */
public sealed interface Message {

    /** First words of a worker, so the master can match the connection to the process it spawned. */
    record Hello(long pid, int index, int generation) implements Message {
    }

    /** The resolved configuration (as {@code Config.toText()}) and the listeners whose fds follow. */
    record Welcome(Map<String, String> config, List<String> listeners) implements Message {
    }

    /** The worker now reads descriptors: the master may send the listening sockets. */
    record AwaitingListeners() implements Message {
    }

    /** The worker serves on every listener. */
    record Ready(long bootMillis) implements Message {
    }

    /**
     * Proof of life, sent only after a probe passed through every event loop and the execution
     * model, with the worker's load at that moment.
     */
    record Heartbeat(long requests, int inFlight, int connections) implements Message {
    }

    /** Stop gracefully: stop accepting, finish in-flight requests within {@code graceMillis}, exit 0. */
    record Stop(long graceMillis) implements Message {
    }

    /**
     * The worker asks to be replaced ({@code --max-requests}, {@code --max-heap-after-gc}); it
     * keeps serving until the master has a successor ready and sends {@code Stop}.
     */
    record Retire(String reason) implements Message {
    }

    /** Reopen log files (after logrotate moved them). */
    record ReopenLogs() implements Message {
    }

    /** A control command from {@code herd ctl}, e.g. {@code scale} with {@code ["4"]}. */
    record Command(String name, List<String> args) implements Message {
    }

    /** The answer to a {@code Command}: an exit status for the CLI and the text to print. */
    record Reply(int status, String text) implements Message {
    }
}
