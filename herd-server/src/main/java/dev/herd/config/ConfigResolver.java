package dev.herd.config;

import dev.herd.container.ContainerLimits;
import dev.herd.container.WorkerSizing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the configuration from its layers: defaults &lt; file &lt; environment &lt; command
 * line. The command line arrives already split per setting (the CLI does that from the same
 * registry). Every problem in every layer is reported, one line each, not just the first.
 *
 * <p>The master keeps its resolver, so that a reload resolves again with the file as it is
 * then and the same environment and command line.
 */
public final class ConfigResolver {

    /** Gunicorn, Uvicorn and Puma all read the default worker count from it. */
    static final String WEB_CONCURRENCY = "WEB_CONCURRENCY";

    private final Map<String, String> environment;
    private final Map<Setting<?>, List<String>> commandLine;
    private final Path workingDirectory;

    /**
     * @param environment the process environment
     * @param commandLine each setting given on the command line with its raw values in order
     *                    (several only for repeatable settings)
     */
    public ConfigResolver(Map<String, String> environment, Map<Setting<?>, List<String>> commandLine,
                          Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        this.commandLine = Map.copyOf(commandLine);
        this.workingDirectory = workingDirectory;
    }

    /** Resolves with no file layer beyond what the environment and command line name. */
    public static Config resolve(Map<String, String> environment, Map<Setting<?>, List<String>> commandLine)
            throws InvalidSettingException {
        return new ConfigResolver(environment, commandLine, Path.of("")).resolve();
    }

    public Config resolve() throws InvalidSettingException {
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, Source> sources = new LinkedHashMap<>();
        Map<Setting<?>, String> notes = new LinkedHashMap<>();
        Path file = configFile(problems);
        Map<Setting<?>, String> fromFile = file == null ? Map.of() : ConfigFile.read(file, problems);
        for (Setting<?> setting : Settings.all()) {
            values.put(setting, setting.fallback());
            sources.put(setting, Source.DEFAULT);
            String webConcurrency = environment.get(WEB_CONCURRENCY);
            if (setting == Settings.WORKERS && webConcurrency != null && !webConcurrency.isBlank()) {
                // As in Gunicorn: it replaces the default, so a file or HERD_WORKERS still wins.
                take(setting, webConcurrency, " (from $" + WEB_CONCURRENCY + ")", Source.ENVIRONMENT, values, sources,
                        problems);
            }
            if (fromFile.containsKey(setting)) {
                take(setting, fromFile.get(setting), " (from " + file + ")", Source.FILE, values, sources, problems);
            }
            String env = environment.get(setting.envName());
            if (env != null && !env.isBlank()) {
                take(setting, env, " (from $" + setting.envName() + ")", Source.ENVIRONMENT, values, sources, problems);
            }
            List<String> given = commandLine.get(setting);
            if (given != null && !given.isEmpty()) {
                // A repeatable flag accumulates; otherwise the last use wins.
                String text = setting.repeatable() ? String.join(",", given) : given.getLast();
                take(setting, text, "", Source.COMMAND_LINE, values, sources, problems);
            }
        }
        if (file != null) {
            values.put(Settings.CONFIG, file.toString());
        }
        if (Settings.WORKERS.cast(values.get(Settings.WORKERS)) == ValueType.AUTO_WORKERS) {
            WorkerSizing.Auto auto = WorkerSizing.autoWorkers(Settings.WORKER_CLASS.cast(values.get(Settings.WORKER_CLASS)),
                    ContainerLimits.current(), Runtime.getRuntime().availableProcessors());
            values.put(Settings.WORKERS, auto.workers());
            notes.put(Settings.WORKERS, auto.why());
        }
        String admin = adminExposure(Settings.ADMIN_BIND.cast(values.get(Settings.ADMIN_BIND)),
                Settings.ADMIN_TOKEN.cast(values.get(Settings.ADMIN_TOKEN)));
        if (admin != null) {
            problems.add(admin);
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingException(problems);
        }
        return new Config(values, sources, notes);
    }

    /**
     * The admin listener shows every worker, the configuration's shape and the traffic: beyond
     * loopback only with a token.
     */
    static String adminExposure(String bind, String token) {
        if (bind.isBlank() || !token.isEmpty()) {
            return null;
        }
        String host;
        try {
            host = BindAddress.parse(bind).host();
        } catch (IllegalArgumentException e) {
            return null; // --admin-bind's own check says what is wrong
        }
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            loopback = false;
        }
        return loopback ? null : "--admin-bind: " + bind + " is not a loopback address; set --admin-token (or"
                + " $HERD_ADMIN_TOKEN) too, or bind it to 127.0.0.1";
    }

    private static void take(Setting<?> setting, String text, String origin, Source source,
                             Map<Setting<?>, Object> values, Map<Setting<?>, Source> sources, List<String> problems) {
        try {
            values.put(setting, setting.parse(text));
            sources.put(setting, source);
        } catch (InvalidSettingException e) {
            problems.add(e.getMessage() + origin);
        }
    }

    /** --config (flag or environment) names the file; else ./herd.toml when it exists. */
    private Path configFile(List<String> problems) {
        List<String> given = commandLine.get(Settings.CONFIG);
        String named = given != null && !given.isEmpty() ? given.getLast() : environment.get(Settings.CONFIG.envName());
        if (named != null && !named.isBlank()) {
            Path path = workingDirectory.resolve(named);
            if (!Files.isReadable(path)) {
                problems.add("--config: cannot read " + named);
                return null;
            }
            return path;
        }
        Path implicit = workingDirectory.resolve(ConfigFile.DEFAULT_NAME);
        return Files.isReadable(implicit) ? implicit : null;
    }
}
