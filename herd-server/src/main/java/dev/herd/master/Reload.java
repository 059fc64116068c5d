package dev.herd.master;

import dev.herd.ExitCodes;
import dev.herd.app.AppLoadException;
import dev.herd.engine.AppCheck;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.ConfigResolver;
import dev.herd.config.InvalidSettingException;
import dev.herd.config.Settings;
import dev.herd.ipc.ControlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A reload under way: the next generation boots beside the one serving and replaces it once all
 * of it is ready. This is its plan (the configuration the next generation runs) and its report
 * (the log, and the answer to whoever asked); the master spawns and stops the workers.
 */
final class Reload {

    private static final Logger log = LoggerFactory.getLogger(Reload.class);

    private final Config config;
    private final int generation;
    /** Null for a reload by signal. */
    private final ControlConnection requester;
    private final long startedNanos = System.nanoTime();

    private Reload(Config config, int generation, ControlConnection requester) {
        this.config = config;
        this.generation = generation;
        this.requester = requester;
    }

    /**
     * The configuration resolved again from its sources, its app checked before any worker
     * starts; the listening sockets stay the serving ones (new addresses need a restart).
     *
     * @throws ControlCommands.Refused the configuration or the app is broken; the serving generation goes on
     */
    long startedNanos() {
        return startedNanos;
    }

    static Reload plan(ConfigResolver resolver, Config serving, int servingGeneration, ControlConnection requester)
            throws ControlCommands.Refused {
        Config next;
        try {
            next = resolver.resolve();
            AppCheck.check(next);
        } catch (InvalidSettingException | AppLoadException e) {
            log.error("reload refused, generation {} keeps serving: {}", servingGeneration, e.getMessage());
            throw new ControlCommands.Refused("reload refused: " + e.getMessage());
        }
        if (!BindAddress.sameAddresses(next.binds(), serving.binds())) {
            log.warn("--bind changes need a restart; keeping {}",
                    String.join(",", serving.binds().stream().map(BindAddress::toString).toList()));
        }
        return new Reload(next.with(Settings.BIND, serving.binds()), servingGeneration + 1, requester);
    }

    Config config() {
        return config;
    }

    int generation() {
        return generation;
    }

    /** The new generation serves; {@code draining} is the one it replaced. */
    void done(int draining) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        log.info("reload done: generation {} serves, generation {} drains ({} ms)", generation, draining, millis);
        ControlCommands.reply(requester, ExitCodes.OK, "reloaded: generation " + generation + " serves (" + millis
                + " ms)\n");
    }

    /** The new generation is given up; {@code serving} goes on. */
    void failed(int serving, String why) {
        log.error("reload failed, generation {} keeps serving: {}", serving, why);
        ControlCommands.reply(requester, ExitCodes.ERROR,
                "reload failed, generation " + serving + " keeps serving: " + why + "\n");
    }
}
