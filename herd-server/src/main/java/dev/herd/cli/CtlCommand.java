package dev.herd.cli;

import dev.herd.ExitCodes;
import dev.herd.ipc.ControlSocketLocation;
import dev.herd.ipc.Message;
import dev.herd.ipc.MessageCodec;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code herd ctl [--pid FILE | --control-socket PATH] COMMAND [ARGS]}: sends one command to a
 * running master over its control socket and prints the answer. The master is found through
 * {@code --control-socket}, else the pid in {@code --pid}, else the only master of this user.
 */
final class CtlCommand {

    private static final String USAGE = """
            usage: herd ctl [--pid FILE | --control-socket PATH] COMMAND [ARGS]

              status [--json]   the process tree: master, then each worker with its state and load
              top [--once]      a live view, refreshed every second: each worker's requests/s, latency,
                                CPU, memory and threads (keys: s c r m l to sort, q to quit)
              reload            start a new generation from the configuration file; the old one drains
              scale N           run N workers (extra ones drain, then stop)
              add [N]           N more workers (default 1)
              remove [N]        N fewer workers (default 1), drained first
              stop [--now]      graceful stop (--now: halt)

            Without --pid or --control-socket, the only running master of this user is used.
            """;

    private CtlCommand() {
    }

    static int run(String[] args) {
        String pidFile = System.getenv("HERD_PID");
        String socket = System.getenv("HERD_CONTROL_SOCKET");
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return ExitCodes.OK;
                }
                case "-p", "--pid", "--control-socket" -> {
                    if (i + 1 >= args.length) {
                        return usageError(args[i] + " needs a value");
                    }
                    if (args[i].equals("--control-socket")) {
                        socket = args[++i];
                    } else {
                        pidFile = args[++i];
                    }
                }
                default -> rest.add(args[i]);
            }
        }
        if (rest.isEmpty()) {
            return usageError("a command is needed (status, reload, scale, add, remove, stop)");
        }
        Path path;
        try {
            path = locate(pidFile, socket);
        } catch (IOException e) {
            System.err.println("herd ctl: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        if (rest.getFirst().equals("top")) {
            return TopCommand.run(path, rest.contains("--once"));
        }
        return send(path, new Message.Command(rest.getFirst(), List.copyOf(rest.subList(1, rest.size()))));
    }

    private static Path locate(String pidFile, String socket) throws IOException {
        if (socket != null && !socket.isBlank()) {
            return Path.of(socket);
        }
        if (pidFile != null && !pidFile.isBlank()) {
            String pid = Files.readString(Path.of(pidFile), StandardCharsets.US_ASCII).strip();
            if (!pid.matches("\\d+")) {
                throw new IOException(pidFile + " does not hold a pid");
            }
            return ControlSocketLocation.defaultSocket(Long.parseLong(pid));
        }
        List<Path> live = ControlSocketLocation.knownSockets().stream().filter(CtlCommand::masterAlive).toList();
        if (live.isEmpty()) {
            throw new IOException("no running herd master found; give --pid FILE or --control-socket PATH");
        }
        if (live.size() > 1) {
            throw new IOException("several herd masters run (" + live + "); choose one with --pid or --control-socket");
        }
        return live.getFirst();
    }

    private static boolean masterAlive(Path socket) {
        String name = socket.getFileName().toString();
        long pid = Long.parseLong(name.substring("master-".length(), name.length() - ".sock".length()));
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Sends one command and returns the master's reply. */
    static Message.Reply ask(Path socket, Message.Command command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(MessageCodec.encode(command)));
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            int length = in.readInt();
            if (length <= 0 || length > MessageCodec.MAX_FRAME) {
                throw new IOException("bad reply frame");
            }
            byte[] body = new byte[length];
            in.readFully(body);
            if (!(MessageCodec.decode(body) instanceof Message.Reply reply)) {
                throw new IOException("the master answered something other than a reply");
            }
            return reply;
        }
    }

    private static int send(Path socket, Message.Command command) {
        try {
            Message.Reply reply = ask(socket, command);
            (reply.status() == ExitCodes.OK ? System.out : System.err).print(reply.text());
            return reply.status();
        } catch (IOException e) {
            System.err.println("herd ctl: cannot talk to the master at " + socket + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return ExitCodes.ERROR;
        }
    }

    private static int usageError(String message) {
        System.err.println("herd ctl: " + message);
        return ExitCodes.USAGE;
    }
}
