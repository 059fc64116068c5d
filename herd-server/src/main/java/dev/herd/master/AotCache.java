package dev.herd.master;

import dev.herd.config.Config;
import dev.herd.engine.AppKind;
import dev.herd.systemd.ServiceEnvironment;
import dev.herd.worker.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers' JDK AOT cache (JEP 483, made in one step as JEP 514 allows): which file serves a
 * configuration, and its making. Owned by the {@link WorkerLauncher}, called on the master's
 * loop only; the training process finishes on a thread of its own.
 *
 * <p>A cache is only valid for the JDK, class path and JVM options that made it (the JVM checks
 * and ignores a mismatched one), so the file's name is a hash of all three, with each class path
 * entry's size and modification time: a rebuilt jar or a new JDK means a new file, made again
 * by itself. Until the file exists workers start without it; a spawn never waits for training.
 */
public final class AotCache {

    private static final Logger log = LoggerFactory.getLogger(AotCache.class);

    /** Cache files being made now, and those whose making failed (not tried again until restart). */
    private final Set<Path> training = ConcurrentHashMap.newKeySet();
    private final Set<Path> failed = ConcurrentHashMap.newKeySet();
    private final Map<Path, Process> processes = new HashMap<>();

    AotCache() {
        // A master that stops while a training run is going must not leave it behind.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopTraining, "herd-aot-stop"));
    }

    /**
     * The JVM options that make a worker of {@code config} use the cache: none when the
     * setting is off, or while the cache is being made (whose making this may start).
     */
    List<String> workerOptions(Config config) {
        if (config.aotCache().isBlank()) {
            return List.of();
        }
        Path file = file(config);
        if (Files.isRegularFile(file)) {
            return List.of("-XX:AOTCache=" + file);
        }
        if (!failed.contains(file) && training.add(file)) {
            train(config, file);
        }
        return List.of();
    }

    /** The cache file for {@code config}: in its directory, named by the hash of what it depends on. */
    static Path file(Config config) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        List<String> parts = new ArrayList<>(List.of(System.getProperty("java.home"),
                System.getProperty("java.vm.version"), String.join(" ", WorkerLauncher.accessOptions(config)),
                String.join(" ", config.workerJvmOpts())));
        for (String entry : classPath(config)) {
            File file = new File(entry);
            parts.add(file.getAbsolutePath() + " " + file.length() + " " + file.lastModified());
        }
        sha.update(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
        String hash = HexFormat.of().formatHex(sha.digest(), 0, 8);
        return Path.of(config.aotCache()).toAbsolutePath().resolve("worker-" + hash + ".aot");
    }

    /** What the cache depends on: the workers' class path, the app's jar, a servlet app's WAR. */
    private static List<String> classPath(Config config) {
        String classPath = WorkerLauncher.classPath(config);
        List<String> entries = new ArrayList<>(List.of(classPath.split(File.pathSeparator)));
        if (!config.appJar().isBlank()) {
            entries.add(config.appJar());
        }
        if (AppKind.isWebApp(config.app())) {
            entries.add(config.app());
        }
        return entries;
    }

    /**
     * Starts the training run; once it exits cleanly, its output is renamed into place
     * atomically, so a worker never maps a half-written cache.
     */
    private void train(Config config, Path file) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Path output = file.resolveSibling(file.getFileName() + ".log");
        long start = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(file.getParent());
            ProcessBuilder builder = new ProcessBuilder(command(config, partial))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            ServiceEnvironment.scrub(builder.environment());
            process = builder.start();
        } catch (IOException e) {
            giveUp(file, "cannot start its training run: " + e.getMessage());
            return;
        }
        log.info("making the workers' AOT cache {} (training run pid {})", file, process.pid());
        synchronized (processes) {
            processes.put(file, process);
        }
        process.onExit().thenAccept(done -> {
            synchronized (processes) {
                processes.remove(file);
            }
            try {
                if (done.exitValue() != 0 || !Files.isRegularFile(partial)) {
                    giveUp(file, "its training run ended with status " + done.exitValue() + "; see " + output);
                    return;
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(output);
                log.info("AOT cache {} ready after {} ms; workers spawned from now on use it", file,
                        (System.nanoTime() - start) / 1_000_000);
            } catch (IOException e) {
                giveUp(file, "cannot move it into place: " + e.getMessage());
            } finally {
                training.remove(file);
            }
        });
    }

    /**
     * Makes the cache for {@code config} now and waits for it ({@code herd aot-cache}); returns
     * the file, which a master with the same configuration then uses.
     */
    public static Path makeNow(Config config) throws IOException, InterruptedException {
        Path file = file(config);
        if (Files.isRegularFile(file)) {
            return file;
        }
        AotCache cache = new AotCache();
        cache.training.add(file);
        cache.train(config, file);
        while (cache.training.contains(file)) {
            Thread.sleep(50);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("the training run failed; see " + file.resolveSibling(file.getFileName() + ".log"));
        }
        return file;
    }

    private void giveUp(Path file, String why) {
        failed.add(file);
        training.remove(file);
        log.warn("no AOT cache {}: {}; workers start without it", file, why);
    }

    private static List<String> command(Config config, Path partial) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(WorkerLauncher.accessOptions(config));
        command.addAll(config.workerJvmOpts());
        command.add("-XX:AOTCacheOutput=" + partial);
        command.add("-Dherd.log.level=warn");
        command.add("-cp");
        command.add(WorkerLauncher.classPath(config));
        command.add(TrainingRun.class.getName());
        config.toText().forEach((key, value) -> command.add(key + "=" + value));
        return command;
    }

    private void stopTraining() {
        synchronized (processes) {
            processes.values().forEach(Process::destroyForcibly);
        }
    }
}
