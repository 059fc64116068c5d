package dev.herd.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * podman for the deployment tests: commands run to their end with their output, the limits this
 * machine can grant a container, and images made from this machine's own programs (no registry
 * is reachable: an image holds a program, the C libraries it links and its loader).
 */
final class Podman {

    private Podman() {
    }

    /** Why podman cannot run a container here, or null when it can. */
    static String unavailable() throws Exception {
        for (String tool : List.of("/usr/bin/podman", "/usr/bin/tini-static")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is not installed (Debian packages podman, runc and tini)";
            }
        }
        Commands.Result info = Commands.run(Map.of(), 60, "podman", "info", "--format", "{{.Host.OCIRuntime.Name}}");
        if (info.status() != 0) {
            return "podman cannot run here: " + info.output().lines().reduce((a, b) -> b).orElse("");
        }
        return null;
    }

    /** deploy/container/ulimits.sh's options: {@code --ulimit nofile=N:N --ulimit nproc=M:M}. */
    static List<String> ulimits() throws Exception {
        Commands.Result limits = Commands.run(Map.of(), 10, HerdProcess.HOME.resolve("deploy/container/ulimits.sh").toString());
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
     * each program with the libraries it links (deploy/container/copy-with-libs.sh, as the image's
     * build does), to run as {@code user}.
     */
    static void imageFromHost(String tag, String base, Path dir, List<String> files, String user) throws Exception {
        Path context = Files.createTempDirectory(dir, "image");
        List<String> copy = new java.util.ArrayList<>(List.of(
                HerdProcess.HOME.resolve("deploy/container/copy-with-libs.sh").toString(), context.resolve("rootfs").toString()));
        copy.addAll(files);
        Commands.Result copied = Commands.run(Map.of(), 60, copy.toArray(String[]::new));
        if (copied.status() != 0) {
            throw new AssertionError("cannot gather the files of " + tag + ": " + copied.output());
        }
        if (base == null) {
            // What a scratch image lacks that the programs expect: users, a /tmp, nginx's default log folder.
            Files.createDirectories(context.resolve("rootfs/etc"));
            Files.createDirectories(context.resolve("rootfs/var/log/nginx"));
            Path tmp = Files.createDirectories(context.resolve("rootfs/tmp"));
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(context.resolve("rootfs/etc/passwd"),
                    "root:x:0:0::/:/sbin/nologin\nnobody:x:65534:65534::/:/sbin/nologin\n");
            Files.writeString(context.resolve("rootfs/etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        }
        Files.writeString(context.resolve("Containerfile"), "FROM " + (base == null ? "scratch" : base) + "\nUSER 0:0\n"
                + "COPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nUSER " + user + "\n");
        List<String> command = new java.util.ArrayList<>(List.of("podman", "build", "-q", "--layers=false"));
        command.addAll(ulimits());
        command.addAll(List.of("-t", tag, context.toString()));
        Commands.Result built = Commands.run(Map.of(), 300, command.toArray(String[]::new));
        if (built.status() != 0) {
            throw new AssertionError("cannot build " + tag + ": " + built.output());
        }
    }
}
