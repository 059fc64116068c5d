package dev.herd.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real herd master with its workers, started by the lab for one configuration: the same JDK
 * and class path as the lab itself, {@code herd serve} on a free loopback port. Pinned to one
 * core with {@code taskset} (the workers inherit the affinity) and with every JVM told it has
 * one processor, so thread pools, GC and virtual-thread carriers size themselves as they
 * would on a one-core machine. {@link #close} stops it gracefully, then by force, by pid.
 */
final class LabServer implements AutoCloseable {

    private static final Pattern READY =
            Pattern.compile("ready pid=(\\d+) listen=127\\.0\\.0\\.1:(\\d+) workers=(\\d+)");
    private static final String WORKER_JVM_OPTS = "-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k";

    /** Servers not yet closed: if the lab itself is stopped (TERM, Ctrl-C), they are halted, not orphaned. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "herd-lab-cleanup"));
    }

    private final Process process;
    private final Path directory;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile int port;

    private LabServer(Process process, Path directory) {
        this.process = process;
        this.directory = directory;
        RUNNING.add(process);
        Thread.ofPlatform().daemon().name("herd-lab-log").start(this::readLog);
    }

    static LabServer start(ServerSpec spec) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("herd-lab-");
        ProcessBuilder builder = new ProcessBuilder(command(spec)).redirectErrorStream(true)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        // Only the lab's own choices configure this server, not whatever the caller's shell exports.
        env.keySet().removeIf(k -> k.startsWith("HERD_") && !k.equals("HERD_DEMO_ROUNDS_PER_MS")
                || k.equals("WEB_CONCURRENCY"));
        if (spec.gil()) {
            env.put("HERD_DEMO_GIL", "1");
        }
        LabServer server = new LabServer(builder.start(), directory);
        try {
            server.awaitReady(spec.workers());
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static List<String> command(ServerSpec spec) {
        List<String> command = new ArrayList<>();
        if (spec.pinned()) {
            command.addAll(List.of("taskset", "-c", Integer.toString(spec.pinnedCore())));
        }
        String oneCpu = spec.pinned() ? " -XX:ActiveProcessorCount=1" : "";
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC", "-Xss512k", "-Xms32m", "-Xmx256m"));
        if (spec.pinned()) {
            command.add("-XX:ActiveProcessorCount=1");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.herd.cli.Main", "serve",
                "-b", "127.0.0.1:0", "-w", Integer.toString(spec.workers()), "-k", spec.model(),
                "--threads", Integer.toString(spec.threads()), "--io-threads", Integer.toString(spec.ioThreads()),
                "--worker-jvm-opts", WORKER_JVM_OPTS + oneCpu, "--graceful-timeout", "2", "--keep-alive", "30"));
        if (!spec.appJar().isEmpty()) {
            command.addAll(List.of("--app-jar", Path.of(spec.appJar()).toAbsolutePath().toString()));
        }
        if (!spec.appClass().isEmpty()) {
            command.add(spec.appClass());
        }
        return command;
    }

    private void awaitReady(int workers) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!ready.await(50, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException((process.isAlive() ? "herd did not get ready in 90 s" : "herd exited with "
                        + process.waitFor()) + "; its last lines:\n" + lastLines());
            }
        }
        while (workerPids().size() < workers && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    int port() {
        return port;
    }

    /**
     * Sends each path a few times, one at a time on fresh connections (so every worker likely
     * gets some), before any measurement: a new JVM's first requests load classes and run
     * interpreted, which on one core takes longer than a short warm-up. Bounded: 10 s per request.
     */
    void prime(List<String> paths, int times) throws IOException {
        for (int i = 0; i < times; i++) {
            for (String path : paths) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().readAllBytes();
                } catch (SocketTimeoutException e) {
                    throw new IOException("herd did not answer " + path + " within 10 s while warming up", e);
                }
            }
        }
    }

    long masterPid() {
        return process.pid();
    }

    /** The master's worker processes (its java children; taskset exec()s, so the master is the process). */
    List<Long> workerPids() {
        return process.children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).sorted().toList();
    }

    String lastLines() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    private void readLog() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 40) {
                        lastLines.removeFirst();
                    }
                }
                Matcher matcher = READY.matcher(line);
                if (ready.getCount() > 0 && matcher.find()) {
                    port = Integer.parseInt(matcher.group(2));
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> workers = process.children().toList();
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle worker : workers) {
                if (!worker.onExit().completeOnTimeout(worker, 5, TimeUnit.SECONDS).join().isAlive()) {
                    continue;
                }
                worker.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
        RUNNING.remove(process);
    }
}
