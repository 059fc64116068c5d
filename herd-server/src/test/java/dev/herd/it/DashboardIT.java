package dev.herd.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin listener's live page in a real headless Chromium: it draws every worker process and
 * its threads, and a worker killed with kill -9 turns up replaced on the open page within seconds.
 */
class DashboardIT {

    private static final String WORKER_CARDS = "[...document.querySelectorAll('.worker')].map(w => w.id).join(',')";

    @Test
    void thePageShowsEveryWorkerAndAKilledOneReplaced() throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "2", "--admin-bind", "127.0.0.1:0");
             HeadlessChromium browser = HeadlessChromium.start()) {
            AdminListener admin = AdminListener.of(herd, null);
            for (int i = 0; i < 20; i++) {
                herd.get("/hello");
            }
            browser.open("http://" + admin.address() + "/");
            List<Long> pids = herd.workerPids();
            await().atMost(HeadlessChromium.patience()).untilAsserted(() -> {
                assertThat(browser.evaluate(WORKER_CARDS)).contains("worker-" + pids.get(0))
                        .contains("worker-" + pids.get(1));
                assertThat(browser.evaluate("document.getElementById('master').innerText"))
                        .contains("master pid " + herd.masterPid());
                // Inside each worker, its threads: the event loop at least (handler threads start on demand).
                for (long pid : pids) {
                    assertThat(browser.evaluate("document.querySelector('#worker-" + pid + "').innerText"))
                            .contains("event loops").contains("JVM threads");
                    assertThat(Integer.parseInt(browser.evaluate("document.querySelector('#worker-" + pid
                            + "').querySelectorAll('.cell').length"))).isPositive();
                }
            });
            Path screenshot = Path.of("target", "dashboard.png");
            browser.screenshot(screenshot);
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);

            long victim = pids.getFirst();
            HerdProcess.signal(victim, "KILL");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<Long> now = herd.workerPids();
                assertThat(now).hasSize(2).doesNotContain(victim);
                String cards = browser.evaluate(WORKER_CARDS);
                assertThat(cards).doesNotContain("worker-" + victim);
                for (long pid : now) {
                    assertThat(cards).contains("worker-" + pid);
                }
                assertThat(browser.evaluate("document.getElementById('events').innerText"))
                        .contains("exited").contains("pid " + victim).contains("crash");
                assertThat(browser.evaluate("document.getElementById('workers').innerText")).contains("crash");
            });
        }
    }

    @Test
    void withATokenThePageAsksForItAndShowsNothingWithout() throws Exception {
        String token = "dashboard-token-0123456789";
        try (HerdProcess herd = HerdProcess.start(Map.of("HERD_ADMIN_TOKEN", token), HerdProcess.HOME,
                "-w", "1", "--admin-bind", "127.0.0.1:0");
             HeadlessChromium browser = HeadlessChromium.start()) {
            AdminListener admin = AdminListener.of(herd, null);
            // The page itself holds no data and is served without the token.
            String page = admin.get("/").body();
            assertThat(page).contains("<title>herd</title>").doesNotContain(Long.toString(herd.masterPid()));

            browser.open("http://" + admin.address() + "/");
            await().atMost(HeadlessChromium.patience()).untilAsserted(() ->
                    assertThat(browser.evaluate("document.getElementById('summary').innerText"))
                            .contains("needs its token"));
            assertThat(browser.evaluate(WORKER_CARDS)).isEmpty();

            browser.open("http://" + admin.address() + "/#token=" + token);
            long worker = herd.workerPids().getFirst();
            await().atMost(HeadlessChromium.patience()).untilAsserted(() ->
                    assertThat(browser.evaluate(WORKER_CARDS)).contains("worker-" + worker));
        }
    }
}
