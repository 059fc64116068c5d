package dev.herd.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --balance}: which worker takes a new connection, and that no connection waiting in a
 * queue is lost when workers die or are removed.
 */
class BalanceIT {

    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    /**
     * 20 keep-alive connections opened at once, as a load generator or a proxy's pool does: under
     * least-busy each worker gets its share, and each connection stays with its worker.
     */
    @Test
    void leastBusySpreadsABurstOfKeepAliveConnections() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--balance", "least-busy")) {
            List<Long> pids = burst(herd.port(), 20, 3);
            Map<Long, Long> perWorker = pids.stream().collect(Collectors.groupingBy(Function.identity(),
                    Collectors.counting()));
            System.out.println("least-busy, 20 connections at once: connections per worker " + perWorker);
            assertThat(perWorker.keySet()).containsExactlyInAnyOrderElementsOf(herd.workerPids());
            assertThat(perWorker.values()).allSatisfy(count -> assertThat(count).isBetween(7L, 13L));
        }
    }

    /** Under reuseport the kernel spreads by hash: 20 connections from different ports reach both workers. */
    @Test
    void reuseportGivesEachWorkerItsOwnQueue() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--balance", "reuseport")) {
            List<Long> pids = burst(herd.port(), 20, 2);
            assertThat(pids.stream().distinct().toList()).containsExactlyInAnyOrderElementsOf(herd.workerPids());
        }
    }

    /**
     * Every worker killed at once: connections made meanwhile wait in the kernel's queue (the
     * master holds every listening socket) and are all served once replacements are ready.
     */
    @ParameterizedTest
    @ValueSource(strings = {"shared", "reuseport", "least-busy"})
    void connectionsQueuedWhileEveryWorkerIsDeadAreServed(String balance) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--balance", balance)) {
            List<Long> before = herd.workerPids();
            for (long pid : before) {
                HerdProcess.signal(pid, "KILL");
            }
            List<Long> pids = burst(herd.port(), 20, 1);
            assertThat(pids).hasSize(20).doesNotContainAnyElementsOf(before);
        }
    }

    /**
     * Scale-down under reuseport: the removed slot's socket stays in the kernel's group, so
     * connections keep landing in its queue; the master accepts them and hands them to the
     * worker that is left. None is refused or reset.
     */
    @Test
    void reuseportSlotWithoutAWorkerIsServedThroughTheMaster() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--balance", "reuseport")) {
            int linesBefore = herd.lineCount();
            herd.signal("TTOU");
            herd.awaitLog(Pattern.compile("worker 2 pid=\\d+ exited with status 0"), linesBefore,
                    Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> herd.workerPids().size() == 1);
            long left = herd.workerPids().getFirst();
            List<Long> pids = burst(herd.port(), 30, 1);
            assertThat(pids).hasSize(30).containsOnly(left);
        }
    }

    /**
     * Opens {@code connections} connections at once, then sends {@code requests} requests on
     * each, one after another; returns the worker pid that answered each connection, after
     * checking that every request on a connection went to the same worker.
     */
    private static List<Long> burst(int port, int connections, int requests) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(30_000);
                sockets.add(socket);
            }
            List<Future<Long>> answers = new ArrayList<>();
            for (Socket socket : sockets) {
                answers.add(clients.submit((Callable<Long>) () -> askWhoAnswers(socket, requests)));
            }
            List<Long> pids = new ArrayList<>();
            for (Future<Long> answer : answers) {
                pids.add(answer.get(40, TimeUnit.SECONDS));
            }
            return pids;
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static long askWhoAnswers(Socket socket, int requests) throws IOException {
        byte[] request = "GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        InputStream in = new BufferedInputStream(socket.getInputStream());
        long pid = -1;
        for (int i = 0; i < requests; i++) {
            socket.getOutputStream().write(request);
            KeepAliveLoad.Response response = KeepAliveLoad.read(in);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.close()).isFalse();
            Matcher matcher = PID.matcher(response.body());
            assertThat(matcher.find()).isTrue();
            long answered = Long.parseLong(matcher.group(1));
            assertThat(pid == -1 || pid == answered).as("one connection, one worker").isTrue();
            pid = answered;
        }
        return pid;
    }
}
