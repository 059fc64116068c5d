package dev.herd.state;

import dev.herd.app.AppLoadException;
import dev.herd.config.Config;
import dev.herd.config.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A state backend with heavy dependencies lives in its own module (Redis: herd-redis, with
 * Lettuce), which only the workers that use it put on their class path. The launcher names its
 * jar in a system property; the master checks it before any worker starts, so a missing module
 * is one line at start rather than every worker failing its boot.
 */
public final class StateModules {

    /** System property naming herd-redis's jar (the launcher sets it). */
    public static final String REDIS_JAR_PROPERTY = "herd.redis.jar";

    private StateModules() {
    }

    /** The jar a worker needs for {@code --state}, if any. */
    public static Optional<Path> jarFor(Config config) throws AppLoadException {
        if (config.get(Settings.STATE).equals("local")) {
            return Optional.empty();
        }
        String jar = System.getProperty(REDIS_JAR_PROPERTY, "");
        if (jar.isEmpty() || !Files.isReadable(Path.of(jar))) {
            throw new AppLoadException("--state redis needs the herd-redis module, which is not built"
                    + (jar.isEmpty() ? "" : " (no " + jar + ")") + "; build it with ./build package");
        }
        return Optional.of(Path.of(jar));
    }
}
