package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.JvmDefaults;

import java.util.Arrays;

/**
 * herd's command-line entry point: {@code herd serve ...}, {@code ctl}, {@code lab}, {@code tune}, ...
 * Usage errors print one line and exit {@link ExitCodes#USAGE}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(usage());
            return args.length == 0 ? ExitCodes.USAGE : ExitCodes.OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "serve" -> ServeCommand.run(rest);
            case "ctl" -> CtlCommand.run(rest);
            case "lab" -> LabCommand.run(rest);
            case "tune" -> TuneCommand.run(rest);
            case "print-config" -> ConfigCommands.printConfig(rest);
            case "check-config" -> ConfigCommands.checkConfig(rest);
            case "aot-cache" -> ConfigCommands.aotCache(rest);
            case "version", "--version" -> {
                System.out.println("herd " + version());
                yield ExitCodes.OK;
            }
            default -> {
                System.err.println("herd: unknown command '" + args[0] + "' (try: herd serve --help)");
                yield ExitCodes.USAGE;
            }
        };
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static String usage() {
        return """
                usage: herd COMMAND [OPTIONS]

                commands:
                  serve          run the master and its workers (herd serve --help for options)
                  ctl            control a running master: status, reload, scale, add, remove, stop
                  print-config   print every resolved setting and where it came from
                  check-config   check the configuration and the app without serving
                  aot-cache      make the workers' AOT cache for this configuration now (at image build time)
                  lab            measure processes x threads x cores on this machine (herd lab --help)
                  tune           rank herd configurations for your app by measuring them (herd tune --help)
                  version        print the version
                """;
    }
}
