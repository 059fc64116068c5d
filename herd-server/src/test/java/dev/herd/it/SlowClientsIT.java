package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that cost a connection and nearly nothing else: 1,000 that send their request one
 * byte a second, and 1,000 that ask for a download and more requests behind it and never read the answers. While they hold
 * their connections, ordinary clients are served as fast as without them (p99 within 2x), no
 * worker is taken for hung and replaced, and the workers' memory stays bounded: a slow request
 * is a few hundred bytes of decoder state, and a connection whose client reads nothing is read
 * only {@code PipelinedRequests.MAX} requests ahead, after which the kernel pushes back on it.
 */
class SlowClientsIT {

    private static final int SLOW_SENDERS = 1000;
    private static final int NON_READERS = 1000;

    @Test
    @org.junit.jupiter.api.Timeout(180)
    void slowSendersAndNonReadersDoNotSlowTheOthersNorGrowMemory() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "-k", "async", "--timeout", "10")) {
            List<Long> workers = herd.workerPids();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            measure(client, herd.port(), Duration.ofSeconds(2)); // warm both sides up
            List<Long> quiet = measure(client, herd.port(), Duration.ofSeconds(4));
            long rssBefore = rss(workers);

            AtomicBoolean attacking = new AtomicBoolean(true);
            List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger connected = new AtomicInteger();
            ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor();
            try {
                for (int i = 0; i < SLOW_SENDERS; i++) {
                    attackers.submit(() -> slowSender(herd.port(), sockets, connected, attacking));
                }
                for (int i = 0; i < NON_READERS; i++) {
                    attackers.submit(() -> nonReader(herd.port(), sockets, connected, attacking));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (connected.get() < SLOW_SENDERS + NON_READERS && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                // The attack's first seconds cost CPU (2,000 requests begun, 1,000 downloads filling
                // their sockets); what is measured is the state after, with all of them held open.
                long settled = awaitQuietWorkers(workers, Duration.ofSeconds(30));
                List<Long> attacked = measure(client, herd.port(), Duration.ofSeconds(4));
                long rssDuring = rss(workers);
                long p99Quiet = percentile(quiet, 99);
                long p99Attacked = percentile(attacked, 99);
                System.out.printf("slow clients: %d connected, workers quiet after %d ms; ordinary clients p50 %.2f -> %.2f ms,"
                                + " p99 %.2f -> %.2f ms (%d and %d requests); workers' RSS %d -> %d MiB%n",
                        connected.get(), settled, percentile(quiet, 50) / 1e6, percentile(attacked, 50) / 1e6,
                        p99Quiet / 1e6, p99Attacked / 1e6, quiet.size(), attacked.size(), rssBefore >> 20, rssDuring >> 20);
                assertThat(connected.get()).isEqualTo(SLOW_SENDERS + NON_READERS);
                assertThat(p99Attacked).isLessThanOrEqualTo(2 * p99Quiet);
                assertThat(herd.workerPids()).containsExactlyInAnyOrderElementsOf(workers);
                assertThat(rssDuring - rssBefore).as("workers' RSS growth, bytes").isLessThan(128L << 20);
            } finally {
                attacking.set(false);
                synchronized (sockets) {
                    for (Socket socket : sockets) {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closing is all that is asked
                        }
                    }
                }
                attackers.shutdownNow();
                attackers.awaitTermination(10, TimeUnit.SECONDS);
            }
            assertThat(herd.get("/hello").statusCode()).isEqualTo(200);
        }
    }

    /** Sends a request's head one byte a second. */
    private static Void slowSender(int port, List<Socket> sockets, AtomicInteger connected, AtomicBoolean attacking)
            throws Exception {
        byte[] head = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            sockets.add(socket);
            connected.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            for (int i = 0; attacking.get(); i++) {
                out.write(i < head.length ? head[i] : 'a');
                out.flush();
                Thread.sleep(1000);
            }
        } catch (IOException e) {
            // the server closed it (read timeout), or the test did
        }
        return null;
    }

    /**
     * Asks for a 1 MiB download followed by 31 pipelined requests, and never reads: the answer
     * stops at the size of the socket buffers, and the requests behind it wait.
     */
    private static Void nonReader(int port, List<Socket> sockets, AtomicInteger connected, AtomicBoolean attacking)
            throws Exception {
        String requests = "GET /stream?bytes=1048576 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(31);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            sockets.add(socket);
            connected.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            while (attacking.get()) {
                Thread.sleep(200);
            }
        } catch (IOException e) {
            // the test closed it, or the server cut it (--write-timeout)
        }
        return null;
    }

    /** Latencies of sequential GET /hello from 4 ordinary clients, in nanoseconds. */
    private static List<Long> measure(HttpClient client, int port, Duration duration) throws Exception {
        HttpRequest hello = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                .timeout(Duration.ofSeconds(10)).build();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + duration.toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 4; c++) {
                clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        long started = System.nanoTime();
                        HttpResponse<String> response = client.send(hello, HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - started);
                        assertThat(response.statusCode()).isEqualTo(200);
                        Thread.sleep(5);
                    }
                    return null;
                });
            }
        }
        return latencies;
    }

    /**
     * Waits until the workers use under a fifth of a core between two looks half a second apart,
     * twice in a row; returns how long that took, in milliseconds.
     */
    private static long awaitQuietWorkers(List<Long> workers, Duration atMost) throws Exception {
        long started = System.nanoTime();
        int quiet = 0;
        long before = cpuTicks(workers);
        while (quiet < 2 && System.nanoTime() - started < atMost.toNanos()) {
            Thread.sleep(500);
            long now = cpuTicks(workers);
            quiet = now - before <= 10 ? quiet + 1 : 0; // 100 ticks a second: 10 in 0.5 s is 20 %
            before = now;
        }
        assertThat(quiet).as("the workers went quiet with the slow clients connected").isEqualTo(2);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** User and system CPU time of the processes, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(List<Long> pids) throws IOException {
        long total = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return total;
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    private static long rss(List<Long> pids) throws IOException {
        long total = 0;
        for (long pid : pids) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    total += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        }
        return total;
    }
}
