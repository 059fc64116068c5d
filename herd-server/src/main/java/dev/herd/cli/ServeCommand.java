package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.app.AppLoadException;
import dev.herd.engine.AppCheck;
import dev.herd.config.Config;
import dev.herd.config.ConfigResolver;
import dev.herd.config.InvalidSettingException;
import dev.herd.config.Setting;
import dev.herd.http.ListenSocket;
import dev.herd.master.Master;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code herd serve}: resolves the configuration, checks the app without running it, then runs
 * the master until it stops.
 */
final class ServeCommand {

    private ServeCommand() {
    }

    static int run(String[] args) {
        CommandLine commandLine = SettingsCommandLine.build("serve",
                "Run a master and its worker processes serving the app.");
        Map<Setting<?>, List<String>> given;
        try {
            CommandLine.ParseResult parsed = commandLine.parseArgs(args);
            if (parsed.isUsageHelpRequested()) {
                commandLine.usage(System.out);
                return ExitCodes.OK;
            }
            given = SettingsCommandLine.values(parsed);
        } catch (CommandLine.ParameterException e) {
            System.err.println("herd serve: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Config config;
        ConfigResolver resolver;
        try {
            resolver = new ConfigResolver(System.getenv(), given, Path.of(""));
            config = resolver.resolve();
            AppCheck.check(config);
        } catch (InvalidSettingException | AppLoadException e) {
            System.err.println("herd serve: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        // Before anything logs (Netty does, as soon as it is touched): logging reads these once.
        System.setProperty("herd.role", "master");
        System.setProperty("herd.pid", Long.toString(ProcessHandle.current().pid()));
        System.setProperty("herd.log.level", config.logLevel());
        System.setProperty("herd.error.log", config.errorLog());
        String unavailable = ListenSocket.unavailableReason();
        if (unavailable != null) {
            System.err.println("herd serve: " + unavailable);
            return ExitCodes.ERROR;
        }
        return new Master(config, resolver).run();
    }
}
