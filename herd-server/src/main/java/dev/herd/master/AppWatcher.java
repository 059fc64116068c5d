package dev.herd.master;

import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.engine.AppKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code --reload}: watches what the app is made of and says when it changed, once the changes
 * have settled, as {@code uvicorn --reload} and {@code flask run} do for Python. A build writes
 * many files (or one jar, in several writes): the master hears once, half a second after the
 * last of them. Folders are watched with everything under them; a file (a jar, a WAR) through
 * its folder, by its name. Runs on its own daemon thread.
 */
final class AppWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppWatcher.class);
    /** How long the files must stay quiet before the master hears of a change. */
    static final long SETTLE_MILLIS = 500;

    private final WatchService watcher;
    /** Watched folder -> the one file name that matters there, or null for anything under it. */
    private final Map<WatchKey, Watched> keys = new HashMap<>();
    private final Consumer<String> changed;

    private record Watched(Path folder, String onlyName) {
    }

    private AppWatcher(WatchService watcher, Consumer<String> changed) {
        this.watcher = watcher;
        this.changed = changed;
    }

    /** What {@code config}'s app is made of: its WAR or folder, its jar or classes folder. */
    static List<Path> sources(Config config) {
        List<Path> paths = new ArrayList<>();
        if (AppKind.of(config) == AppKind.SERVLET && config.get(Settings.SERVLET).isEmpty()) {
            paths.add(Path.of(config.app()));
        }
        if (!config.appJar().isBlank()) {
            paths.add(Path.of(config.appJar()));
        }
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /**
     * Starts watching; {@code changed} gets a short description of what changed.
     *
     * @return null when there is nothing to watch (the built-in demo app)
     */
    static AppWatcher start(List<Path> paths, Consumer<String> changed) throws IOException {
        if (paths.isEmpty()) {
            return null;
        }
        AppWatcher appWatcher = new AppWatcher(FileSystems.getDefault().newWatchService(), changed);
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                appWatcher.registerTree(path);
            } else {
                appWatcher.register(path.getParent(), path.getFileName().toString());
            }
        }
        Thread.ofPlatform().name("herd-reload-watch").daemon().start(appWatcher::run);
        log.info("--reload: watching {}", paths);
        return appWatcher;
    }

    private void registerTree(Path root) throws IOException {
        try (Stream<Path> folders = Files.walk(root)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                register(folder, null);
            }
        }
    }

    private void register(Path folder, String onlyName) throws IOException {
        WatchKey key = folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        synchronized (keys) {
            keys.put(key, new Watched(folder, onlyName));
        }
    }

    private void run() {
        try {
            while (true) {
                String first = take(watcher.take());
                if (first == null) {
                    continue;
                }
                // Settle: keep taking events until the files stay quiet for SETTLE_MILLIS.
                for (WatchKey more; (more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null; ) {
                    take(more);
                }
                changed.accept(first);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: the master is stopping.
        }
    }

    /** The first relevant path among the key's events, or null; registers folders created under a tree. */
    private String take(WatchKey key) {
        Watched watched;
        synchronized (keys) {
            watched = keys.get(key);
        }
        String relevant = null;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (watched == null || !(event.context() instanceof Path name)) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    relevant = "(many files)";
                }
                continue;
            }
            if (watched.onlyName() != null && !watched.onlyName().equals(name.toString())) {
                continue;
            }
            Path path = watched.folder().resolve(name);
            if (watched.onlyName() == null && event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                    && Files.isDirectory(path)) {
                try {
                    registerTree(path);
                } catch (IOException e) {
                    log.warn("--reload: cannot watch {}: {}", path, e.getMessage());
                }
            }
            if (relevant == null) {
                relevant = path.toString();
            }
        }
        if (!key.reset()) {
            synchronized (keys) {
                keys.remove(key);
            }
        }
        return relevant;
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException ignored) {
            // Nothing left to watch either way.
        }
    }
}
