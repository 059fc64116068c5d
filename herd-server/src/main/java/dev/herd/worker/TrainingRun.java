package dev.herd.worker;

import dev.herd.ExitCodes;
import dev.herd.JvmDefaults;
import dev.herd.api.WorkerInfo;
import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.engine.Engine;
import dev.herd.engine.Engines;
import dev.herd.http.ListenSocket;
import dev.herd.ipc.ControlClient;
import dev.herd.ipc.ControlConnection;
import dev.herd.ipc.ControlServer;
import dev.herd.ipc.Message;
import dev.herd.state.StateBackend;
import dev.herd.state.StateBackends;
import dev.herd.state.local.StateServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The AOT cache's training run (JDK 25, JEP 514): the master starts this JVM with
 * {@code -XX:AOTCacheOutput} and the workers' options; it boots the app and the execution model
 * the way a worker does (with the app's engine: herd's HTTP, or Jetty for a servlet app), serves a few hundred requests over loopback through the real HTTP
 * pipeline, round-trips the control messages, and exits, and the JVM then writes the cache of
 * every class it loaded and linked. Workers started with that cache skip most of their class
 * loading. It never serves anyone: its socket is its own, on an ephemeral loopback port. The
 * app's started and stopping hooks do run, as in any worker.
 *
 * <p>Arguments: the configuration as {@code key=value} pairs ({@link Config#toText()}).
 */
public final class TrainingRun {

    /** Enough requests for the JVM to see every class of the request path, and few enough to stay under a second. */
    private static final int REQUESTS = 300;

    private TrainingRun() {
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        System.setProperty("herd.role", "aot training");
        try {
            Config config = Config.fromText(parse(args));
            // The training's requests are no one's: they never reach the user's access log file (a
            // configured log still gets trained, on standard output, which the master discards).
            if (!config.accessLog().isEmpty()) {
                config = config.with(Settings.ACCESS_LOG, "-");
            }
            run(config);
            System.exit(ExitCodes.OK);
        } catch (Exception e) {
            System.err.println("herd: AOT training run failed: " + e);
            System.exit(ExitCodes.BOOT_ERROR);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> text = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            text.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return text;
    }

    private static void run(Config config) throws Exception {
        EventLoopGroup binder = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ListenSocket socket = ListenSocket.bind(binder, new BindAddress("127.0.0.1", 0), 16, "0600");
        controlConversation(config, binder, socket.fd());
        // Shared state as a worker has it (apps use it from their started hook), on a store of the
        // training's own: never the user's state file or Redis.
        Config local = config.with(Settings.STATE, "local").with(Settings.STATE_FILE, "");
        Path stateDir = Files.createTempDirectory("herd-aot-state-");
        Path control = stateDir.resolve("training.sock");
        StateServer stateServer = StateServer.start(local, control);
        StateBackend state = StateBackends.open(local, control);
        // The app's own engine, as a worker starts it: herd's HTTP, or Jetty for a servlet app.
        Engine engine = Engines.start(config.with(Settings.BIND, List.of(socket.address())),
                new WorkerInfo(ProcessHandle.current().pid(), 0, 0, config.workerClass().toString()));
        engine.listen(socket.fd(), socket.address());
        try {
            request(socket.address().port(), REQUESTS);
        } finally {
            state.close();
            stateServer.close();
            Files.deleteIfExists(stateDir);
            engine.drain();
            engine.awaitConnectionsClosed(Duration.ofSeconds(2));
            engine.stop(Duration.ofSeconds(1));
            // The engine's channel and the bound one share the descriptor, which drain closed.
            closeQuietly(socket);
            binder.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private static void closeQuietly(ListenSocket socket) {
        try {
            socket.close();
        } catch (Exception alreadyClosed) { // Netty throws its IOException unchecked here
            // Nothing to release.
        }
    }

    /**
     * A worker's boot conversation with its master, both ends in this JVM on a unix socket of its
     * own: Hello, Welcome, the listener's descriptor, Heartbeat, Ready, Stop. A worker spends a
     * third of its boot there, and without this its control client, Netty's unix socket channel and descriptor
     * passing were missing from the cache (the class-load log of a worker showed them loaded from
     * the jars and verified, 80-100 ms after main).
     */
    private static void controlConversation(Config config, EventLoopGroup loop, int listenerFd) throws Exception {
        Path dir = Files.createTempDirectory("herd-aot-training-");
        Path socketPath = dir.resolve("control.sock");
        ControlServer server = ControlServer.start(loop, socketPath, new ControlServer.Listener() {
            @Override
            public void received(ControlConnection connection, Message message) {
                switch (message) {
                    case Message.Hello hello -> connection.send(new Message.Welcome(config.toText(),
                            List.of("127.0.0.1:0")));
                    case Message.AwaitingListeners awaiting -> connection.sendDescriptors(new int[] {listenerFd});
                    case Message.Ready ready -> connection.send(new Message.Stop(1));
                    default -> { }
                }
            }

            @Override
            public void disconnected(ControlConnection connection) {
            }
        });
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        ControlClient client = ControlClient.connect(loop, socketPath, inbox::add, () -> { });
        try {
            client.send(new Message.Hello(ProcessHandle.current().pid(), 1, 1));
            Message welcome = inbox.poll(5, TimeUnit.SECONDS);
            if (!(welcome instanceof Message.Welcome(Map<String, String> text, List<String> listeners))) {
                throw new IOException("no welcome on the training control socket: " + welcome);
            }
            Config.fromText(text);
            listeners.forEach(BindAddress::parse);
            for (int fd : client.receiveListeners(1).get(5, TimeUnit.SECONDS)) {
                new FileDescriptor(fd).close();
            }
            client.send(new Message.Heartbeat(0, 0, 0, 0, 0));
            client.send(new Message.Ready(1));
            if (!(inbox.poll(5, TimeUnit.SECONDS) instanceof Message.Stop)) {
                throw new IOException("no stop on the training control socket");
            }
        } finally {
            client.close();
            server.close();
            Files.deleteIfExists(dir);
        }
    }

    /** GET / on one keep-alive connection, {@code count} times; any status will do, the path is what counts. */
    private static void request(int port, int count) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] get = "GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: herd-aot-training\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                out.write(get);
                out.flush();
                readResponse(in);
            }
        }
    }

    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a full response");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed inside a response body");
        }
    }
}
