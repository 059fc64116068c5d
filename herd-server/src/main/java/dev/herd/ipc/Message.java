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
 *   Metrics ... every second       -&gt;
 *   Retire(reason), when it wants replacing (max requests, heap) -&gt;
 *                                  &lt;-   ReopenLogs, on USR1
 *                                  &lt;-   Stop(grace)
 *   (drains, exits 0)
 * </pre>
 *
 * <p>Under {@code --balance least-busy} or {@code reuseport} a worker also opens one <em>handoff
 * connection</em> per listener before it says {@code Ready}. It starts with {@code Handoff(pid,
 * listener)} and from then on reads only descriptors: the master sends each accepted connection's
 * descriptor there (SCM_RIGHTS), and the worker answers each with {@code Taken} before it reads a
 * byte of that connection. The master keeps its own copy of a connection until it is taken, so
 * a connection sent to a worker that dies before taking it goes to another worker instead of
 * being lost. The worker writes {@code Load} on its first handoff connection whenever its load
 * changes, so the master can pick the least busy worker. The master shuts its side of the
 * handoff connections when it will send no more; the worker has then taken everything sent.
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
    record Heartbeat(long requests, int inFlight, int connections, int streams, int webSockets) implements Message {
    }

    /** First words on a handoff connection: the worker and which listener's connections it takes there. */
    record Handoff(long pid, int listener) implements Message {
    }

    /** The worker has the next descriptor sent on this handoff connection and is about to serve it. */
    record Taken() implements Message {
    }

    /**
     * A worker's load as it changes: open connections, requests in flight, and how many handed
     * connections it has received so far (the master subtracts it from what it sent, to count
     * the ones still on their way).
     */
    record Load(int connections, int inFlight, long received) implements Message {
    }

    /**
     * The worker's metrics since its previous report (counters and histograms as increases,
     * gauges as values), in {@code MetricsReport}'s bytes; every second, and once more at exit.
     */
    record Metrics(byte[] report) implements Message {
    }

    /** Stop gracefully: stop accepting, finish in-flight requests within {@code graceMillis}, exit 0. */
    record Stop(long graceMillis) implements Message {
    }

    /**
     * The worker asks to be replaced ({@code --max-requests}, {@code --max-heap-after-gc}); it
     * keeps serving until the master has a successor ready and sends {@code Stop}. With reason
     * {@link #TERMINATED} it got a TERM of its own and is draining already: it needs no Stop.
     */
    record Retire(String reason) implements Message {
        public static final String TERMINATED = "terminated by TERM";
    }

    /** Reopen log files (after logrotate moved them). */
    record ReopenLogs() implements Message {
    }

    /**
     * The master has given up on this worker (no heartbeat) and kills it shortly, after its
     * thread dump: accept nothing more, so that no new connection dies with it. A worker whose
     * handlers hang often still has a live event loop that would go on accepting.
     */
    record StopAccepting() implements Message {
    }

    /** A control command from {@code herd ctl}, e.g. {@code scale} with {@code ["4"]}. */
    record Command(String name, List<String> args) implements Message {
    }

    /** The answer to a {@code Command}: an exit status for the CLI and the text to print. */
    record Reply(int status, String text) implements Message {
    }
}
