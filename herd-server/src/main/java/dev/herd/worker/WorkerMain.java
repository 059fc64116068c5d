package dev.herd.worker;

import dev.herd.ExitCodes;
import dev.herd.JvmDefaults;
import dev.herd.logging.JulBridge;

import java.nio.file.Path;

/**
 * Entry point of a worker JVM. Only the master starts it, with the control socket, the worker's
 * slot and its generation in the environment; everything else arrives over the control socket.
 */
public final class WorkerMain {

    public static final String ENV_CONTROL_SOCKET = "HERD_CONTROL_SOCKET";
    public static final String ENV_INDEX = "HERD_WORKER_INDEX";
    public static final String ENV_GENERATION = "HERD_GENERATION";

    private WorkerMain() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        String socket = System.getenv(ENV_CONTROL_SOCKET);
        if (socket == null) {
            System.err.println("herd worker: started without a master (" + ENV_CONTROL_SOCKET + " is not set)");
            System.exit(ExitCodes.USAGE);
        }
        int index = Integer.parseInt(System.getenv(ENV_INDEX));
        int generation = Integer.parseInt(System.getenv(ENV_GENERATION));
        System.setProperty("herd.role", "worker " + index);
        System.setProperty("herd.pid", Long.toString(ProcessHandle.current().pid()));
        JulBridge.install();
        int status = new Worker(Path.of(socket), index, generation).run();
        System.exit(status);
    }
}
