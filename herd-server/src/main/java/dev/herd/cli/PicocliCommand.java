package dev.herd.cli;

import dev.herd.ExitCodes;
import picocli.CommandLine;

/**
 * How the lab commands ({@code lab}, {@code lab load}, {@code tune}) read their picocli options:
 * {@code -h} prints the usage and exits 0, a bad flag prints one line naming the command and
 * exits {@link ExitCodes#USAGE}.
 */
final class PicocliCommand {

    private PicocliCommand() {
    }

    /**
     * Parses {@code args} into {@code command}'s annotated fields; returns null when the command
     * should go on, else the exit status (help was printed, or the usage error).
     */
    static Integer parse(Object command, String[] args, String name) {
        CommandLine commandLine = new CommandLine(command);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            if (!commandLine.isUsageHelpRequested()) {
                return usageError(name, e.getMessage());
            }
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return ExitCodes.OK;
        }
        return null;
    }

    /** Prints the first line of {@code message} after the command's name; returns the usage status. */
    static int usageError(String name, String message) {
        System.err.println(name + ": " + message.lines().findFirst().orElse(message));
        return ExitCodes.USAGE;
    }
}
