package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code herd ctl top} in a real terminal (tmux), read back from the screen. */
class TopIT {

    @Test
    void topShowsEveryWorkerSortsOnAKeyAndShowsAReplacement() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2")) {
            for (int i = 0; i < 20; i++) {
                herd.get("/hello");
            }
            String socket = dev.herd.ipc.ControlSocketLocation.defaultSocket(herd.masterPid()).toString();
            String session = "herd-top-" + ProcessHandle.current().pid();
            tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "30",
                    "HERD_NO_BUILD=1 " + HerdProcess.HOME.resolve("herd") + " ctl --control-socket " + socket + " top");
            try {
                List<Long> pids = herd.workerPids();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(screen(session))
                        .contains("herd master " + herd.masterPid() + " running")
                        .contains(pids.get(0) + " ").contains(pids.get(1) + " ")
                        .contains("sorted by slot").containsPattern("(?m)^ +1 \\d+ +1 ready"));

                tmux("send-keys", "-t", session, "c");
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(screen(session)).contains("sorted by cpu"));

                long victim = pids.getFirst();
                HerdProcess.signal(victim, "KILL");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    String now = screen(session);
                    assertThat(now).contains("restart: crash").contains("exited  worker")
                            .contains("pid " + victim + " gen 1 crash");
                    assertThat(herd.workerPids()).hasSize(2).doesNotContain(victim);
                    for (long pid : herd.workerPids()) {
                        assertThat(now).contains(pid + " ");
                    }
                });

                tmux("send-keys", "-t", session, "q");
                await().atMost(Duration.ofSeconds(10)).until(() -> tmuxStatus("has-session", "-t", session) != 0);
            } finally {
                tmuxStatus("kill-session", "-t", session);
            }
        }
    }

    @Test
    void oneFrameFitsEightyColumns() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "3")) {
            HerdProcess.CtlResult frame = herd.ctl("top", "--once");
            assertThat(frame.status()).as(frame.output()).isZero();
            assertThat(frame.output().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
            assertThat(frame.output()).contains("SLOT PID").containsPattern("(?m)^ +3 \\d+ +1 ready");
        }
    }

    private static String screen(String session) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void tmux(String... args) throws IOException, InterruptedException {
        int status = tmuxStatus(args);
        if (status != 0) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed with " + status);
        }
    }

    private static int tmuxStatus(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
