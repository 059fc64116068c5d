package dev.herd.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A service manager's notify socket, as systemd binds it: a unix datagram socket at a path, or
 * in the abstract namespace for an address starting with {@code @}. The receiving end is Python's
 * socket module, an implementation independent of the Netty socket herd sends with. Each
 * datagram is kept with the CLOCK_MONOTONIC time it arrived at, in nanoseconds (the clock
 * {@code System.nanoTime} reads on Linux).
 */
final class NotifyListener implements AutoCloseable {

    /** One datagram: its fields as sent, newline-separated. */
    record Datagram(long monotonicNanos, String text) {
        boolean has(String assignment) {
            return text.lines().anyMatch(line -> line.equals(assignment));
        }

        String field(String name) {
            return text.lines().filter(line -> line.startsWith(name + "=")).map(line -> line.substring(name.length() + 1))
                    .findFirst().orElse(null);
        }
    }

    private static final String RECEIVER = """
            import socket, sys, time
            address = sys.argv[1]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind('\\0' + address[1:] if address.startswith('@') else address)
            print('bound', flush=True)
            while True:
                data = s.recv(65536)
                print('%d %s' % (time.monotonic_ns(), data.decode().replace('\\\\', '\\\\\\\\').replace('\\n', '\\\\n')), flush=True)
            """;

    private final Process process;
    private final String address;
    private final List<Datagram> received = new ArrayList<>();

    private NotifyListener(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Binds {@code address} and starts receiving. */
    static NotifyListener bind(String address, Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("notify-receiver.py");
        Files.writeString(script, RECEIVER);
        Process process = new ProcessBuilder("python3", script.toString(), address).redirectErrorStream(true).start();
        NotifyListener listener = new NotifyListener(process, address);
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = reader.readLine();
        if (!"bound".equals(first)) {
            process.destroyForcibly();
            throw new AssertionError("the notify receiver did not bind " + address + ": " + first);
        }
        Thread.ofPlatform().daemon().name("notify-receiver").start(() -> listener.read(reader));
        return listener;
    }

    String address() {
        return address;
    }

    private void read(BufferedReader reader) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                int space = line.indexOf(' ');
                String text = line.substring(space + 1).replace("\\n", "\n").replace("\\\\", "\\");
                synchronized (received) {
                    received.add(new Datagram(Long.parseLong(line.substring(0, space)), text));
                    received.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The receiver was stopped.
        }
    }

    /** Every datagram so far, in arrival order. */
    List<Datagram> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits for the first datagram from index {@code from} on that matches; returns its index. */
    int await(int from, Predicate<Datagram> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (int i = from; i < received.size(); i++) {
                    if (wanted.test(received.get(i))) {
                        return i;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no such notify message within " + timeout + "; received: " + received);
                }
                received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!address.startsWith("@")) {
            Files.deleteIfExists(Path.of(address));
        }
    }
}
