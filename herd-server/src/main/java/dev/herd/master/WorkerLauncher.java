package dev.herd.master;

import dev.herd.app.AppLoadException;
import dev.herd.container.ContainerLimits;
import dev.herd.container.WorkerSizing;
import dev.herd.config.Config;
import dev.herd.engine.AppCheck;
import dev.herd.engine.AppKind;
import dev.herd.config.VirtualScheduler;
import dev.herd.config.WorkerClass;
import dev.herd.exec.ExecutionModel;
import dev.herd.state.StateModules;
import dev.herd.systemd.ServiceEnvironment;
import dev.herd.worker.WorkerMain;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts worker JVMs. A JVM cannot fork, so each worker is a fresh {@code java} process on the
 * master's own class path, told only where the control socket is, its slot and its generation;
 * the configuration follows over the control socket. Its output goes to the master's, so one
 * log holds every process. With {@code --aot-cache} it starts workers with the JDK's AOT cache,
 * which {@link AotCache} makes the first time.
 */
final class WorkerLauncher {

    private final Path controlSocket;
    private final AotCache aotCache = new AotCache();

    WorkerLauncher(Path controlSocket) {
        this.controlSocket = controlSocket;
    }

    /**
     * Starts the worker for slot {@code index}; {@code poolSize} workers share the container's
     * limits ({@link WorkerSizing}).
     */
    Process spawn(Config config, int index, int generation, int poolSize) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(config, poolSize))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        ServiceEnvironment.scrub(env);
        env.put(WorkerMain.ENV_CONTROL_SOCKET, controlSocket.toString());
        env.put(WorkerMain.ENV_INDEX, Integer.toString(index));
        env.put(WorkerMain.ENV_GENERATION, Integer.toString(generation));
        return builder.start();
    }

    /**
     * What every JVM herd starts is allowed, whatever the user's options: Netty's epoll
     * transport loads a native library; and Netty uses sun.misc.Unsafe only when its memory
     * access is allowed explicitly. Without that, on JDK 25 Netty frees direct buffers through
     * a malloc/free downcall whose linking took about 100 ms of each worker's boot (median spawn
     * to ready 526 ms without the AOT cache, 426 ms with Unsafe allowed; bench/boot.sh).
     */
    static final List<String> ACCESS_OPTIONS =
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    /**
     * ACCESS_OPTIONS, and what {@code config} needs on top: {@code --virtual-scheduler loop} reaches
     * into java.lang (LoopCarriedThreads). Only then: the app runs in the same unnamed module.
     */
    static List<String> accessOptions(Config config) {
        List<String> options = new ArrayList<>(ACCESS_OPTIONS);
        if (config.workerClass() == WorkerClass.VIRTUAL && config.virtualScheduler() == VirtualScheduler.LOOP) {
            options.add("--add-opens=" + ExecutionModel.LOOP_SCHEDULER_OPENS);
        }
        if (AppKind.of(config) == AppKind.SERVLET) {
            // Jetty takes java.nio channels; making one from a received descriptor needs the JDK's
            // own constructor (docs/architecture.md, "Servlet apps").
            options.add("--add-opens=" + SERVLET_CHANNEL_OPENS);
        }
        return options;
    }

    /** What a servlet app's worker opens to turn received descriptors into channels for Jetty. */
    static final String SERVLET_CHANNEL_OPENS = "java.base/sun.nio.ch=ALL-UNNAMED";

    /**
     * The worker's class path: herd's, herd-servlet's jar (its manifest names Jetty's) for a
     * servlet app, herd-redis's for {@code --state redis}.
     */
    static String classPath(Config config) {
        StringBuilder path = new StringBuilder(System.getProperty("java.class.path"));
        try {
            if (AppKind.of(config) == AppKind.SERVLET) {
                path.append(File.pathSeparator).append(AppCheck.servletJar());
            }
            StateModules.jarFor(config).ifPresent(jar -> path.append(File.pathSeparator).append(jar));
        } catch (AppLoadException e) {
            // Checked before any worker starts; the worker then says what is missing.
        }
        return path.toString();
    }

    private List<String> command(Config config, int poolSize) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(accessOptions(config));
        // The cache first: options of the user's that follow it win (-XX:AOTMode=off, say).
        command.addAll(aotCache.workerOptions(config));
        command.addAll(WorkerSizing.share(ContainerLimits.current(), poolSize, config.workerJvmOpts()).options());
        command.addAll(config.workerJvmOpts());
        command.add("-Dherd.log.level=" + config.logLevel());
        command.add("-Dherd.error.log=" + config.errorLog());
        command.add("-cp");
        command.add(classPath(config));
        command.add(WorkerMain.class.getName());
        return command;
    }

    /** Asks the worker's JVM to print its thread dump (to the shared log) before it is killed. */
    static void requestThreadDump(long pid) {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
        } catch (IOException ignored) {
            // No dump; the kill that follows matters more.
        }
    }
}
