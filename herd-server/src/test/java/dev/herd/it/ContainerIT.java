package dev.herd.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * herd's image (deploy/container), built here from local files only and run with podman: the
 * CPU and memory limits size the pool and each worker, the root filesystem is read-only but for
 * the /run/herd volume, a killed worker leaves no zombie behind the init, and a stop (TERM) ends
 * with exit status 0. Skipped, with the reason, on a machine where podman cannot run a container;
 * CI installs podman, runc and tini (.ci/run).
 */
class ContainerIT {

    private static final String TAG = "localhost/herd-it:" + ProcessHandle.current().pid();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static String unavailable;

    @BeforeAll
    static void buildImage() throws Exception {
        unavailable = Podman.unavailable();
        if (unavailable != null) {
            return;
        }
        Commands.Result build = Commands.run(Map.of("HERD_NO_BUILD", "1", "PODMAN_BUILD_OPTS", "--layers=false"), 600, HerdProcess.HOME.resolve("deploy/container/build.sh").toString(),
                "-t", TAG);
        assertThat(build.status()).as("deploy/container/build.sh:\n%s", build.output()).isZero();
    }

    @AfterAll
    static void removeImage() throws Exception {
        if (unavailable == null) {
            Commands.run(Map.of(), 60, "podman", "rmi", "-f", TAG);
        }
    }

    @Test
    void servesWithinItsLimitsOnAReadOnlyRootAndStopsWithStatusZero() throws Exception {
        assumeTrue(unavailable == null, unavailable);
        String name = "herd-it-" + ProcessHandle.current().pid();
        String volume = name + "-run";
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("podman", "run", "-d", "--name", name));
        command.addAll(Podman.ulimits());
        command.addAll(List.of("--cpus", "1.5", "--memory", "1g", "--read-only", "--read-only-tmpfs=false",
                "-v", volume + ":/run/herd", "-p", "127.0.0.1:" + port + ":8000",
                // An init of podman's in front of the image's own tini: Debian's tini, as there is no catatonit.
                "--init", "--init-path", "/usr/bin/tini-static", TAG));
        try {
            Commands.Result started = Commands.run(Map.of(), 120, command.toArray(String[]::new));
            assertThat(started.status()).as(started.output()).isZero();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest whoami = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/whoami"))
                    .timeout(Duration.ofSeconds(5)).build();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> client.send(whoami, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            String log = Commands.run(Map.of(), 30, "podman", "logs", name).output();
            assertThat(log).contains("workers: 2 (auto: 1.5 CPUs (cgroup")
                    .contains("-Xmx170m: half of 1024 MiB / 3 JVMs")
                    .contains("-XX:ActiveProcessorCount=1: 1.5 CPUs / 2 workers");
            List<String> processes = top(name);
            List<String> workers = processes.stream().filter(p -> p.contains("dev.herd.worker.WorkerMain")).toList();
            assertThat(workers).hasSize(2).allSatisfy(w -> assertThat(w)
                    .contains("-Xmx170m", "-XX:ActiveProcessorCount=1", "-XX:AOTCache=/opt/herd/aot/worker-"));
            assertThat(processes).allSatisfy(p -> assertThat(p).as("runs as herd's user (uid 10001)").contains(" herd "));

            // A worker killed: the master replaces it and reaps it; nothing is left a zombie.
            String victim = workers.getFirst().trim().split("\\s+")[0];
            assertThat(Commands.run(Map.of(), 10, "kill", "-KILL", victim).status()).isZero();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                List<String> now = top(name);
                return now.stream().filter(p -> p.contains("dev.herd.worker.WorkerMain")).count() == 2
                        && now.stream().noneMatch(p -> p.startsWith(victim + " "));
            });
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> client.send(whoami, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            for (String process : top(name)) {
                String pid = process.trim().split("\\s+")[0];
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                assertThat(stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))
                        .as("state of %s", process).isNotEqualTo("Z");
            }

            Commands.Result stopped = Commands.run(Map.of(), 120, "podman", "stop", "-t", "40", name);
            assertThat(stopped.status()).as(stopped.output()).isZero();
            String exit = Commands.run(Map.of(), 30, "podman", "inspect", name, "--format", "{{.State.ExitCode}}").output().trim();
            String stopLog = Commands.run(Map.of(), 30, "podman", "logs", name).output();
            assertThat(exit).as("exit status after TERM; log:\n%s", stopLog).isEqualTo("0");
            assertThat(stopLog).contains("received TERM").contains("master exiting with status 0")
                    .doesNotContain("Read-only file system");
        } finally {
            Commands.run(Map.of(), 60, "podman", "rm", "-f", name);
            Commands.run(Map.of(), 60, "podman", "volume", "rm", "-f", volume);
        }
    }

    /**
     * deploy/kubernetes/deployment.yaml under podman kube play (one replica), its Secret made as
     * podman keeps one: the pod serves, its probes pass, and a stop drains it to exit status 0.
     * podman runs an httpGet liveness probe as {@code curl} through {@code /bin/sh} inside the
     * container, and herd's image has neither; this test alone adds them in a layer of its own.
     * The startup and readiness probes, which podman does not run, are asked here as the kubelet
     * would: over the pod's address.
     */
    @Test
    void theDeploymentRunsUnderKubePlayAndItsProbesPass(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(unavailable == null, unavailable);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/catatonit")),
                "catatonit (Debian package), the pause process of podman's pods, is not installed");
        String probeTag = TAG + "-probe";
        Podman.imageFromHost(probeTag, TAG, dir, List.of("/usr/bin/curl", "/bin/dash", "/bin/sh"), "10001:10001");

        // podman kube play has no --ulimit: the same limits as build.sh's, through a containers.conf.
        Path conf = Podman.containersConf(dir);
        Map<String, String> env = Map.of("CONTAINERS_CONF", conf.toString());
        // podman reads a secretKeyRef from a podman secret holding the Secret's data as JSON.
        String token = "kube-play-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path secret = dir.resolve("secret.json");
        Files.writeString(secret, "{\"token\":\"" + java.util.Base64.getEncoder().encodeToString(token.getBytes()) + "\"}");
        Path manifest = dir.resolve("deployment.yaml");
        Files.writeString(manifest, Files.readString(HerdProcess.HOME.resolve("deploy/kubernetes/deployment.yaml"))
                .replace("image: localhost/herd:latest", "image: " + probeTag).replace("replicas: 3", "replicas: 1"));
        String pod = "herd-pod-0";
        String container = pod + "-herd";
        try {
            Commands.run(env, 60, "podman", "secret", "rm", "herd-admin"); // left by a run that was killed, if any
            Commands.Result created = Commands.run(env, 60, "podman", "secret", "create", "herd-admin", secret.toString());
            assertThat(created.status()).as(created.output()).isZero();
            Commands.Result played = Commands.run(env, 180, "podman", "kube", "play", manifest.toString());
            assertThat(played.status()).as(played.output()).isZero();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> Commands.run(env, 30, "podman", "logs", container).output().contains("ready pid="));
            Commands.Result liveness = Commands.run(env, 60, "podman", "healthcheck", "run", container);
            assertThat(liveness.status()).as("podman's run of the liveness probe: %s", liveness.output()).isZero();
            String infra = Commands.run(env, 30, "podman", "pod", "inspect", pod, "--format", "{{.InfraContainerID}}").output().trim();
            String address = Commands.run(env, 30, "podman", "inspect", infra, "--format",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}").output().trim();
            assertThat(address).as("the pod's address").isNotEmpty();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String probe : List.of("/health/startup", "/health/ready", "/health/live")) {
                assertThat(client.send(HttpRequest.newBuilder(URI.create("http://" + address + ":9100" + probe)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(probe).isEqualTo(200);
            }
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://" + address + ":9100/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("metrics without the token").isEqualTo(401);
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://" + address + ":9100/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("metrics with the Secret's token").isEqualTo(200);
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://" + address + ":8000/hello")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("Hello, World!");

            Commands.Result stopped = Commands.run(env, 120, "podman", "pod", "stop", "-t", "45", pod);
            assertThat(stopped.status()).as(stopped.output()).isZero();
            assertThat(Commands.run(env, 30, "podman", "inspect", container, "--format", "{{.State.ExitCode}}").output().trim())
                    .as("exit status after TERM; log:\n%s", Commands.run(env, 30, "podman", "logs", container).output()).isEqualTo("0");
        } finally {
            Commands.run(env, 120, "podman", "kube", "down", manifest.toString());
            Commands.run(env, 60, "podman", "secret", "rm", "herd-admin");
            Commands.run(env, 60, "podman", "rmi", "-f", probeTag);
        }
    }

    /** The container's processes as "HOST-PID USER ARGS" lines. */
    private static List<String> top(String name) throws Exception {
        Commands.Result top = Commands.run(Map.of(), 30, "podman", "top", name, "hpid", "user", "args");
        assertThat(top.status()).as(top.output()).isZero();
        return top.output().lines().skip(1).map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> l.replaceFirst("^(\\S+)\\s+(\\S+)\\s+", "$1 $2 ")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
