package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.app.AppLoadException;
import dev.herd.engine.AppCheck;
import dev.herd.config.Config;
import dev.herd.container.ContainerLimits;
import dev.herd.container.WorkerSizing;
import dev.herd.master.AotCache;
import dev.herd.config.ConfigResolver;
import dev.herd.config.InvalidSettingException;
import dev.herd.config.Setting;
import dev.herd.config.Settings;
import dev.herd.config.ValueType;
import dev.herd.http.ListenSocket;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code herd print-config} and {@code herd check-config}: the same flags as {@code serve},
 * resolved the same way, shown or checked instead of served.
 */
final class ConfigCommands {

    private ConfigCommands() {
    }

    /** The resolver for {@code args}, or an exit status after printing why there is none. */
    sealed interface Parsed {
        record Ok(ConfigResolver resolver) implements Parsed {
        }

        record Exit(int status) implements Parsed {
        }
    }

    static Parsed parse(String command, String description, String[] args) {
        CommandLine commandLine = SettingsCommandLine.build(command, description);
        try {
            CommandLine.ParseResult parsed = commandLine.parseArgs(args);
            if (parsed.isUsageHelpRequested()) {
                commandLine.usage(System.out);
                return new Parsed.Exit(ExitCodes.OK);
            }
            Map<Setting<?>, List<String>> given = SettingsCommandLine.values(parsed);
            return new Parsed.Ok(new ConfigResolver(System.getenv(), given, Path.of("")));
        } catch (CommandLine.ParameterException e) {
            System.err.println("herd " + command + ": " + e.getMessage());
            return new Parsed.Exit(ExitCodes.USAGE);
        }
    }

    static int printConfig(String[] args) {
        Parsed parsed = parse("print-config", "Print every resolved setting and where it came from.", args);
        if (!(parsed instanceof Parsed.Ok(ConfigResolver resolver))) {
            return ((Parsed.Exit) parsed).status();
        }
        Config config;
        try {
            config = resolver.resolve();
        } catch (InvalidSettingException e) {
            e.problems().forEach(p -> System.err.println("herd print-config: " + p));
            return ExitCodes.USAGE;
        }
        for (Setting<?> setting : Settings.all()) {
            String note = config.note(setting);
            System.out.printf("%-26s = %-40s # %s%n", setting.key(), toml(setting, config.get(setting)),
                    config.source(setting).label() + (note == null ? "" : ", " + note));
        }
        ContainerLimits limits = ContainerLimits.current();
        System.out.printf("# worker JVMs: %s%n", WorkerSizing.share(limits, config.workers(), config.workerJvmOpts()).why());
        System.out.printf("# limits: %s; %s%n", limits.cpuLimited() ? ContainerLimits.cpusText(limits.cpus()) + " ("
                + limits.cpuSource() + ")" : limits.cpuSource(), limits.memoryLimited() ? limits.memoryBytes() / (1024 * 1024)
                + " MiB (" + limits.memorySource() + ")" : limits.memorySource());
        return ExitCodes.OK;
    }

    /**
     * {@code herd aot-cache}: makes the workers' AOT cache in {@code --aot-cache DIR} in the
     * foreground, so that an image carries it (a container's root is often read-only, and a
     * worker of a fresh container should not wait for a training run).
     */
    static int aotCache(String[] args) {
        Parsed parsed = parse("aot-cache", "Make the workers' AOT cache for this configuration now, then exit.", args);
        if (!(parsed instanceof Parsed.Ok(ConfigResolver resolver))) {
            return ((Parsed.Exit) parsed).status();
        }
        try {
            Config config = resolver.resolve();
            if (config.aotCache().isBlank()) {
                System.err.println("herd aot-cache: --aot-cache: give the directory to make the cache in");
                return ExitCodes.USAGE;
            }
            AppCheck.check(config);
            System.out.println("AOT cache ready: " + AotCache.makeNow(config));
            return ExitCodes.OK;
        } catch (InvalidSettingException e) {
            e.problems().forEach(p -> System.err.println("herd aot-cache: " + p));
            return ExitCodes.USAGE;
        } catch (AppLoadException e) {
            System.err.println("herd aot-cache: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (java.io.IOException e) {
            System.err.println("herd aot-cache: " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.ERROR;
        }
    }

    static int checkConfig(String[] args) {
        Parsed parsed = parse("check-config", "Load the configuration and the app; exit 0 when both are fine.", args);
        if (!(parsed instanceof Parsed.Ok(ConfigResolver resolver))) {
            return ((Parsed.Exit) parsed).status();
        }
        List<String> problems = new ArrayList<>();
        try {
            Config config = resolver.resolve();
            AppCheck.check(config);
        } catch (InvalidSettingException e) {
            problems.addAll(e.problems());
        } catch (AppLoadException e) {
            problems.add(e.getMessage());
        }
        String unavailable = ListenSocket.unavailableReason();
        if (unavailable != null) {
            problems.add(unavailable);
        }
        if (problems.isEmpty()) {
            System.out.println("configuration ok");
            return ExitCodes.OK;
        }
        problems.forEach(p -> System.err.println("herd check-config: " + p));
        return ExitCodes.USAGE;
    }

    /** The value as TOML, so print-config's output can be pasted into herd.toml. */
    private static String toml(Setting<?> setting, Object value) {
        String text = setting.format(value);
        if (setting == Settings.ADMIN_TOKEN && !text.isEmpty()) {
            return quote("***"); // a secret: print-config output ends up in tickets and chats
        }
        if (setting.type() == ValueType.INT || setting.type() == ValueType.WORKER_COUNT
                || setting.type() == ValueType.SECONDS) {
            return text;
        }
        if (setting.repeatable()) {
            List<String> items = text.isEmpty() ? List.of() : List.of(text.split(","));
            return "[" + String.join(", ", items.stream().map(ConfigCommands::quote).toList()) + "]";
        }
        return quote(text);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
