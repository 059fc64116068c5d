package dev.herd.master;

import dev.herd.ExitCodes;
import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.Message;

import java.util.List;

/**
 * Turns {@code herd ctl} commands into the master's verbs and answers them. Runs on the
 * master's loop thread. Every command gets exactly one {@link Message.Reply}; a reload's comes
 * when the new generation serves or fails.
 */
final class ControlCommands {

    /** A command the master will not carry out now; the text says why. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    static final String USAGE = "commands: status [--json] | reload | scale N | add [N] | remove [N] | stop [--now]";

    private final Master master;

    ControlCommands(Master master) {
        this.master = master;
    }

    void run(ControlConnection connection, String name, List<String> args) {
        try {
            switch (name) {
                case "status" -> reply(connection, ExitCodes.OK,
                        args.contains("--json") ? master.status().json() : master.status().text());
                case "live" -> reply(connection, ExitCodes.OK, master.liveJson());
                case "reload" -> master.reload(connection);
                case "scale" -> reply(connection, ExitCodes.OK, master.scale(count(args, null)));
                case "add" -> reply(connection, ExitCodes.OK, master.scale(master.targetWorkers() + count(args, 1)));
                case "remove" -> reply(connection, ExitCodes.OK, master.scale(master.targetWorkers() - count(args, 1)));
                case "stop" -> {
                    boolean now = args.contains("--now");
                    reply(connection, ExitCodes.OK, now ? "halting\n" : "stopping gracefully\n");
                    master.stopRequested(now);
                }
                default -> reply(connection, ExitCodes.USAGE, "unknown command '" + name + "'; " + USAGE + "\n");
            }
        } catch (Refused e) {
            reply(connection, ExitCodes.ERROR, e.getMessage() + "\n");
        } catch (RuntimeException bug) {
            reply(connection, ExitCodes.ERROR, "the master failed on '" + name + "': " + bug + "\n");
            throw bug;
        }
    }

    static void reply(ControlConnection connection, int status, String text) {
        if (connection != null) {
            connection.send(new Message.Reply(status, text));
        }
    }

    private static int count(List<String> args, Integer fallback) throws Refused {
        List<String> numbers = args.stream().filter(a -> !a.startsWith("-")).toList();
        if (numbers.isEmpty()) {
            if (fallback == null) {
                throw new Refused("scale needs a number of workers");
            }
            return fallback;
        }
        try {
            int n = Integer.parseInt(numbers.getFirst());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Refused("not a worker count: '" + numbers.getFirst() + "'");
        }
    }
}
