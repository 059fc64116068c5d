package dev.herd.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keep-alive clients that know which worker each of their connections is on: a connection's
 * first request is {@code /whoami} (the pid), the rest {@code /io?ms=20}, so that requests are
 * in flight when a worker dies. A request fails when its connection breaks before the whole
 * answer came, or its status is not 200; each failure is kept with the pid of its connection
 * (0 when the connection had not learnt it yet) and the time it was seen, so a test can tell
 * whether it was in flight on a killed worker. Bounded: it runs until {@link #stop()}.
 */
final class ChaosLoad implements AutoCloseable {

    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    /** A request that failed: on the worker {@code pid} (0: not known yet), seen at {@code nanos}. */
    record Failure(long pid, long nanos, String why) {
    }

    private final int port;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final List<Failure> failures = new ArrayList<>();
    /** Per client: the pid of the worker its request in flight is on, 0 when none or not known. */
    private final long[] inFlightOn;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<?>> clients = new ArrayList<>();

    ChaosLoad(int port, int clientCount) {
        this.port = port;
        this.inFlightOn = new long[clientCount];
        for (int i = 0; i < clientCount; i++) {
            int client = i;
            clients.add(threads.submit(() -> client(client)));
        }
    }

    int ok() {
        return ok.get();
    }

    List<Failure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** How many requests are in flight on {@code pid} right now (as far as the clients know). */
    int inFlightOn(long pid) {
        int count = 0;
        synchronized (inFlightOn) {
            for (long on : inFlightOn) {
                if (on == pid) {
                    count++;
                }
            }
        }
        return count;
    }

    ChaosLoad stop() throws Exception {
        running.set(false);
        for (Future<?> client : clients) {
            client.get();
        }
        threads.close();
        return this;
    }

    @Override
    public void close() {
        running.set(false);
        threads.close();
    }

    private Void client(int index) {
        while (running.get()) {
            long pid = 0;
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(15_000);
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                boolean open = true;
                while (open && running.get()) {
                    String path = pid == 0 ? "/whoami" : "/io?ms=20";
                    setInFlight(index, pid);
                    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    KeepAliveLoad.Response answer = KeepAliveLoad.read(in);
                    setInFlight(index, 0);
                    if (answer.status() != 200) {
                        fail(pid, "status " + answer.status());
                        break;
                    }
                    ok.incrementAndGet();
                    if (pid == 0) {
                        Matcher m = PID.matcher(answer.body());
                        pid = m.find() ? Long.parseLong(m.group(1)) : -1;
                    }
                    open = !answer.close();
                }
            } catch (IOException e) {
                setInFlight(index, 0);
                fail(pid, e.toString());
            }
        }
        return null;
    }

    private void setInFlight(int index, long pid) {
        synchronized (inFlightOn) {
            inFlightOn[index] = pid;
        }
    }

    private void fail(long pid, String why) {
        synchronized (failures) {
            failures.add(new Failure(pid, System.nanoTime(), why));
        }
    }
}
