package dev.herd.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real herd server for integration tests: runs the repository's {@code ./herd} launcher as a
 * process, reads its log, and on {@link #close} makes sure that neither the master nor any
 * worker it ever saw is left running (failing the test if one was).
 */
final class HerdProcess implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("herd.home", "..")).toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("ready pid=(\\d+) listen=([^ ]+) workers=(\\d+)");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Set<Long> seenPids = new HashSet<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;
    /** Set once the process's output has ended: no line can match any more. */
    private volatile boolean logEnded;

    private HerdProcess(Process process) {
        this.process = process;
        seenPids.add(process.pid());
        Thread.ofPlatform().daemon().name("herd-log-reader").start(this::readLog);
    }

    /** Starts {@code ./herd serve ARGS -b 127.0.0.1:0} without waiting. */
    static HerdProcess launch(String... args) throws IOException {
        return launch(Map.of(), HOME, args);
    }

    /** Starts {@code ./herd serve ARGS} with extra environment, in {@code workingDirectory}. */
    static HerdProcess launch(Map<String, String> env, Path workingDirectory, String... args) throws IOException {
        return launch(List.of(), env, workingDirectory, args);
    }

    /**
     * Starts {@code WRAPPER... ./herd serve ARGS}: a program that execs herd, such as
     * systemd-socket-activate (so the master's pid is the process's).
     */
    static HerdProcess launch(List<String> wrapper, Map<String, String> env, Path workingDirectory, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(HOME.resolve("herd").toString(), "serve"));
        command.addAll(List.of(args));
        if (wrapper.isEmpty() && !command.contains("-b") && !command.contains("--bind")) {
            command.addAll(List.of("-b", "127.0.0.1:0"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("HERD_NO_BUILD", "1");
        builder.environment().remove("WEB_CONCURRENCY");
        builder.environment().putAll(env);
        return new HerdProcess(builder.start());
    }

    /** Starts herd and waits for its ready line. */
    static HerdProcess start(String... args) throws Exception {
        return start(Map.of(), HOME, args);
    }

    /** Starts herd with extra environment in {@code workingDirectory} and waits for its ready line. */
    static HerdProcess start(Map<String, String> env, Path workingDirectory, String... args) throws Exception {
        return start(List.of(), env, workingDirectory, args);
    }

    /** Starts {@code WRAPPER... ./herd serve ARGS} and waits for its ready line. */
    static HerdProcess start(List<String> wrapper, Map<String, String> env, Path workingDirectory, String... args)
            throws Exception {
        HerdProcess herd = launch(wrapper, env, workingDirectory, args);
        try {
            return herd.awaitReady();
        } catch (AssertionError | Exception e) {
            herd.close();
            throw e;
        }
    }

    /** Waits for the ready line of a herd started with {@link #launch}; learns its port and workers. */
    HerdProcess awaitReady() throws InterruptedException {
        Matcher ready = awaitLog(READY, Duration.ofSeconds(60));
        String listen = ready.group(2).split(",")[0];
        port = listen.startsWith("unix:") ? -1 : Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
        workerPids();
        return this;
    }

    int port() {
        return port;
    }

    long masterPid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** The master's live child processes (its workers), remembered for the final clean-up check. */
    List<Long> workerPids() {
        List<Long> pids = ProcessHandle.of(process.pid()).stream()
                .flatMap(ProcessHandle::children)
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
        synchronized (seenPids) {
            seenPids.addAll(pids);
        }
        return pids;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, Duration.ofSeconds(30));
    }

    HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** What a {@code herd ctl} run printed and returned. */
    record CtlResult(int status, String output) {
    }

    /** Runs {@code ./herd ctl ARGS} against this master (found through its control socket). */
    CtlResult ctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("herd").toString(), "ctl", "--control-socket",
                dev.herd.ipc.ControlSocketLocation.defaultSocket(process.pid()).toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code ./herd ARGS} to its end (for commands such as print-config). */
    static CtlResult herd(Map<String, String> env, Path workingDirectory, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("herd").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(workingDirectory.toFile());
        builder.environment().put("HERD_NO_BUILD", "1");
        builder.environment().keySet().removeIf(k -> k.startsWith("HERD_") && !k.equals("HERD_NO_BUILD")
                || k.equals("WEB_CONCURRENCY"));
        builder.environment().putAll(env);
        return finish(builder.start());
    }

    private static CtlResult run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HERD_NO_BUILD", "1");
        return finish(builder.start());
    }

    private static CtlResult finish(Process process) throws IOException, InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("herd command did not finish: " + output);
        }
        return new CtlResult(process.exitValue(), output);
    }

    /** Sends a signal by name (TERM, INT, KILL, ...) to {@code pid}. */
    static void signal(long pid, String signal) throws IOException, InterruptedException {
        int status = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        if (status != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " failed");
        }
    }

    void signal(String signal) throws IOException, InterruptedException {
        signal(process.pid(), signal);
    }

    /** Waits for the master to exit and returns its status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("herd did not exit within " + timeout + "; log:\n" + log());
        }
        return process.exitValue();
    }

    /** Waits until a log line matches {@code pattern}; returns the match. */
    Matcher awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitLog(pattern, 0, timeout);
    }

    /** Like {@link #awaitLog(Pattern, Duration)}, looking only at lines from {@code fromLine} on. */
    Matcher awaitLog(Pattern pattern, int fromLine, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (lines) {
                for (int i = fromLine; i < lines.size(); i++) {
                    Matcher m = pattern.matcher(lines.get(i));
                    if (m.find()) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || logEnded) {
                    throw new AssertionError("no log line matched /" + pattern + "/ "
                            + (logEnded ? "before the process ended" : "within " + timeout)
                            + "; log:\n" + String.join("\n", lines));
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    long countLines(Pattern pattern) {
        synchronized (lines) {
            return lines.stream().filter(l -> pattern.matcher(l).find()).count();
        }
    }

    String log() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private void readLog() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
        synchronized (lines) {
            logEnded = true;
            lines.notifyAll();
        }
    }

    /**
     * Stops herd if it still runs (TERM, then KILL), then asserts that the master and every
     * worker seen during the test are gone.
     */
    @Override
    public void close() throws IOException {
        try {
            stopAndCheckNothingIsLeft();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while stopping herd", e);
        }
    }

    private void stopAndCheckNothingIsLeft() throws IOException, InterruptedException {
        if (process.isAlive()) {
            workerPids();
            signal("TERM");
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        List<Long> leftovers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<Long> pids;
        synchronized (seenPids) {
            pids = Set.copyOf(seenPids);
        }
        for (long pid : pids) {
            ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
            while (handle != null && handle.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (handle != null && handle.isAlive()) {
                leftovers.add(pid);
                handle.destroyForcibly();
            }
        }
        if (!leftovers.isEmpty()) {
            throw new AssertionError("processes left behind: " + leftovers + "; log:\n" + log());
        }
    }

    /** Writes a jar of the test fixtures, as a user's app jar would be. */
    static Path fixtureJar() throws IOException {
        Path classes = Path.of(HerdProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = Files.createTempFile("herd-fixtures-", ".jar");
        jar.toFile().deleteOnExit();
        Path fixtures = classes.resolve("dev/herd/fixtures");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var files = Files.walk(fixtures)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }
}
