package dev.herd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/simulate: three hosts in network namespaces behind HAProxy, state in Redis, a load with
 * one session through the balancer while a host's master is killed, another host's link goes down
 * and up, the first comes back, and a reload rolls across all three.
 *
 * <p>The bound on failures: a fault can fail at most the requests in flight on the host it
 * strikes, one per load thread (8); HAProxy tries a cut or unanswered GET again on another host,
 * so in practice none fail. A rolling reload fails none: each host's old generation drains while
 * the new one serves. No answer may come without the session: it lives in Redis, not on a host.
 */
class SimulationIT {

    private static final int LOAD_THREADS = 8;

    @Test
    void hostsFailAndReloadUnderLoadWithoutLosingTheSession(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        Commands.Result run = Commands.run(Map.of("HERD_NO_BUILD", "1"), 600,
                HerdProcess.HOME.resolve("deploy/simulate/simulate.sh").toString(), "--report", report.toString());
        assumeTrue(run.status() != 77, "the simulation cannot run here: " + run.output().strip());
        System.out.println(run.output());
        assertThat(run.status()).as(run.output()).isZero();

        JsonNode result = new ObjectMapper().readTree(Files.readString(report));
        assertThat(result.path("lost_session").asInt()).as("answers without the session").isZero();
        for (JsonNode phase : result.path("phases")) {
            String name = phase.path("phase").asText();
            assertThat(phase.path("requests").asInt()).as("requests during '%s'", name).isPositive();
            assertThat(phase.path("lost_session").asInt()).as("lost sessions during '%s'", name).isZero();
            int bound = name.equals("rolling reload") || name.equals("steady") || name.equals("after the reload")
                    ? 0 : LOAD_THREADS;
            assertThat(phase.path("failed").asInt()).as("failed during '%s': %s", name, phase.path("failures"))
                    .isLessThanOrEqualTo(bound);
        }
        assertThat(result.path("phases").findValuesAsText("phase")).containsExactly("steady",
                "kill -9 of h1's master", "h2's link down", "h2's link up", "h1 restarted", "rolling reload",
                "after the reload");
    }
}
