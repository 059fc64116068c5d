package dev.herd.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * podman for the deployment tests: commands run to their end with their output, the limits this
 * machine can grant a container, and images made from this machine's own programs (no registry
 * is reachable: an image holds a program, the C libraries it links and its loader).
 */
final class Podman {

    private Podman() {
    }

    record Result(int status, String output) {
    }

    /** Why podman cannot run a container here, or null when it can. */
    static String unavailable() throws Exception {
        for (String tool : List.of("/usr/bin/podman", "/usr/bin/tini-static")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is not installed (Debian packages podman, runc and tini)";
            }
        }
        Result info = run(Map.of(), 60, "podman", "info", "--format", "{{.Host.OCIRuntime.Name}}");
        if (info.status() != 0) {
            return "podman cannot run here: " + info.output().lines().reduce((a, b) -> b).orElse("");
        }
        return null;
    }

    /** deploy/container/ulimits.sh's options: {@code --ulimit nofile=N:N --ulimit nproc=M:M}. */
    static List<String> ulimits() throws Exception {
        Result limits = run(Map.of(), 10, HerdProcess.HOME.resolve("deploy/container/ulimits.sh").toString());
        return List.of(limits.output().trim().split("\\s+"));
    }

    /**
     * A containers.conf with those limits as defaults, for the podman commands that take no
     * --ulimit (kube play, podman-compose); give its path in $CONTAINERS_CONF.
     */
    static Path containersConf(Path dir) throws Exception {
        List<String> limits = ulimits();
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"" + limits.get(1) + "\", \"" + limits.get(3) + "\"]\n");
        return conf;
    }

    /**
     * Builds image {@code tag} {@code FROM base} (or scratch) with this machine's {@code files},
     * each program with the libraries {@code ldd} names, as the image's root user.
     */
    static void imageFromHost(String tag, String base, Path dir, List<String> files, String user) throws Exception {
        Path context = Files.createTempDirectory(dir, "image");
        StringBuilder script = new StringBuilder("set -e; cd " + context + "; mkdir -p rootfs/etc rootfs/tmp"
                + " rootfs/var/log/nginx; chmod 1777 rootfs/tmp;");
        for (String file : files) {
            script.append(" cp -L --parents ").append(file).append(" rootfs/;")
                    .append(" { ldd ").append(file).append(" 2>/dev/null || true; } | awk '/=> \\// { print $3 }")
                    .append(" /^[ \\t]*\\/.*ld-linux/ { print $1 }' | while read l; do cp -L --parents $l rootfs/; done;");
        }
        Result copied = run(Map.of(), 60, "bash", "-c", script.toString());
        if (copied.status() != 0) {
            throw new AssertionError("cannot gather the files of " + tag + ": " + copied.output());
        }
        if (base == null) {
            Files.writeString(context.resolve("rootfs/etc/passwd"),
                    "root:x:0:0::/:/sbin/nologin\nnobody:x:65534:65534::/:/sbin/nologin\n");
            Files.writeString(context.resolve("rootfs/etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        } else {
            run(Map.of(), 10, "rm", "-rf", context.resolve("rootfs/etc").toString(), context.resolve("rootfs/tmp").toString(),
                    context.resolve("rootfs/var").toString());
        }
        Files.writeString(context.resolve("Containerfile"), "FROM " + (base == null ? "scratch" : base) + "\nUSER 0:0\n"
                + "COPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nUSER " + user + "\n");
        List<String> command = new java.util.ArrayList<>(List.of("podman", "build", "-q", "--layers=false"));
        command.addAll(ulimits());
        command.addAll(List.of("-t", tag, context.toString()));
        Result built = run(Map.of(), 300, command.toArray(String[]::new));
        if (built.status() != 0) {
            throw new AssertionError("cannot build " + tag + ": " + built.output());
        }
    }

    static Result run(Map<String, String> env, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        return runIn(null, env, timeoutSeconds, command);
    }

    static Result runIn(Path dir, Map<String, String> env, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("podman-it", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out after " + timeoutSeconds + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
