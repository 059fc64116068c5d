package dev.herd.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the configuration from its layers: defaults &lt; environment &lt; command line. The
 * command line arrives already split per setting (the CLI does that from the same registry).
 */
public final class ConfigResolver {

    /** Gunicorn, Uvicorn and Puma all read the default worker count from it. */
    static final String WEB_CONCURRENCY = "WEB_CONCURRENCY";

    private ConfigResolver() {
    }

    /**
     * @param environment the process environment
     * @param commandLine each setting given on the command line with its raw values in order
     *                    (several only for repeatable settings)
     */
    public static Config resolve(Map<String, String> environment, Map<Setting<?>, List<String>> commandLine)
            throws InvalidSettingException {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, Source> sources = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.all()) {
            values.put(setting, setting.fallback());
            sources.put(setting, Source.DEFAULT);
            String variable = setting.envName();
            if (setting == Settings.WORKERS && !environment.containsKey(variable)) {
                variable = WEB_CONCURRENCY;
            }
            String env = environment.get(variable);
            if (env != null && !env.isBlank()) {
                values.put(setting, parseEnv(setting, variable, env));
                sources.put(setting, Source.ENVIRONMENT);
            }
            List<String> given = commandLine.get(setting);
            if (given != null && !given.isEmpty()) {
                values.put(setting, parseAll(setting, given));
                sources.put(setting, Source.COMMAND_LINE);
            }
        }
        return new Config(values, sources);
    }

    private static Object parseEnv(Setting<?> setting, String variable, String text) throws InvalidSettingException {
        try {
            return setting.parse(text);
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException(e.getMessage() + " (from $" + variable + ")");
        }
    }

    private static Object parseAll(Setting<?> setting, List<String> given) throws InvalidSettingException {
        // A repeatable flag accumulates: each use is parsed on its own and the lists are joined.
        return setting.repeatable() ? setting.parse(String.join(",", given)) : setting.parse(given.getLast());
    }
}
