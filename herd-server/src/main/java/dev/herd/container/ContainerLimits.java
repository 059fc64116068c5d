package dev.herd.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CPU and memory limits of the cgroup herd runs in: what {@code --cpus} and
 * {@code --memory} (podman, docker, Kubernetes' resources.limits) set. Read from cgroup v2
 * ({@code cpu.max}, {@code memory.max}) or v1 ({@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us},
 * {@code memory.limit_in_bytes}), for the process's own cgroup and each of its ancestors (the
 * smallest limit wins, as the kernel applies them); in a container, {@code /sys/fs/cgroup} is the
 * container's own cgroup. The JVM reads the same files for its own ergonomics, but sizes one JVM
 * as if it had the whole container: with N workers, each would take a quarter of the memory
 * limit, and think it owns every CPU.
 *
 * @param cpus        the CPU quota in CPUs (1.5 for {@code --cpus 1.5}); 0 when there is none
 * @param memoryBytes the memory limit; 0 when there is none
 * @param cpuSource   where {@link #cpus} was read, for print-config
 * @param memorySource where {@link #memoryBytes} was read
 */
public record ContainerLimits(double cpus, long memoryBytes, String cpuSource, String memorySource) {

    /** cgroup v1 writes "no limit" as a page-rounded Long.MAX_VALUE. */
    private static final long UNLIMITED_FROM = 1L << 60;
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final Path SELF_CGROUP = Path.of("/proc/self/cgroup");

    private static volatile ContainerLimits current;

    /** The limits of this process, read once. */
    public static ContainerLimits current() {
        ContainerLimits limits = current;
        if (limits == null) {
            limits = read(CGROUP_ROOT, SELF_CGROUP);
            current = limits;
        }
        return limits;
    }

    public boolean cpuLimited() {
        return cpus > 0;
    }

    public boolean memoryLimited() {
        return memoryBytes > 0;
    }

    /** Reads the limits below {@code root} for the cgroups listed in {@code selfCgroup}; none where unreadable. */
    public static ContainerLimits read(Path root, Path selfCgroup) {
        List<String> lines;
        try {
            lines = Files.readAllLines(selfCgroup);
        } catch (IOException e) {
            return new ContainerLimits(0, 0, "no cgroup", "no cgroup");
        }
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            String path = lines.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse("/");
            return readV2(root, path);
        }
        return readV1(root, lines);
    }

    private static ContainerLimits readV2(Path root, String path) {
        double cpus = 0;
        long memory = 0;
        String cpuSource = "no limit in cgroup v2 cpu.max";
        String memorySource = "no limit in cgroup v2 memory.max";
        for (Path dir : ancestry(root, path)) {
            String cpuMax = read(dir.resolve("cpu.max"));
            if (cpuMax != null) {
                String[] parts = cpuMax.split("\\s+");
                if (parts.length == 2 && !parts[0].equals("max")) {
                    double quota = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
                    if (cpus == 0 || quota < cpus) {
                        cpus = quota;
                        cpuSource = "cgroup v2 " + root.relativize(dir.resolve("cpu.max")) + " = " + cpuMax;
                    }
                }
            }
            long limit = bytes(read(dir.resolve("memory.max")));
            if (limit > 0 && (memory == 0 || limit < memory)) {
                memory = limit;
                memorySource = "cgroup v2 " + root.relativize(dir.resolve("memory.max"));
            }
        }
        return new ContainerLimits(cpus, memory, cpuSource, memorySource);
    }

    private static ContainerLimits readV1(Path root, List<String> lines) {
        double cpus = 0;
        long memory = 0;
        String cpuSource = "no limit in cgroup v1 cpu.cfs_quota_us";
        String memorySource = "no limit in cgroup v1 memory.limit_in_bytes";
        Path cpuMount = Files.isDirectory(root.resolve("cpu")) ? root.resolve("cpu") : root.resolve("cpu,cpuacct");
        for (Path dir : ancestry(cpuMount, v1Path(lines, "cpu"))) {
            String quota = read(dir.resolve("cpu.cfs_quota_us"));
            String period = read(dir.resolve("cpu.cfs_period_us"));
            if (quota != null && period != null && !quota.startsWith("-")) {
                double limit = Double.parseDouble(quota) / Double.parseDouble(period);
                if (cpus == 0 || limit < cpus) {
                    cpus = limit;
                    cpuSource = "cgroup v1 cpu.cfs_quota_us/cpu.cfs_period_us = " + quota + "/" + period;
                }
            }
        }
        for (Path dir : ancestry(root.resolve("memory"), v1Path(lines, "memory"))) {
            long limit = bytes(read(dir.resolve("memory.limit_in_bytes")));
            if (limit > 0 && (memory == 0 || limit < memory)) {
                memory = limit;
                memorySource = "cgroup v1 memory.limit_in_bytes";
            }
        }
        return new ContainerLimits(cpus, memory, cpuSource, memorySource);
    }

    /** The v1 path of {@code controller}, from lines like {@code 4:cpu,cpuacct:/a/b}. */
    private static String v1Path(List<String> lines, String controller) {
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                return parts[2];
            }
        }
        return "/";
    }

    /**
     * The process's cgroup directory and its ancestors below {@code mount}, and the mount itself.
     * In a container the mount is the container's cgroup while the path names it as the host sees
     * it; the path's directories then do not exist and only the mount is read.
     */
    private static List<Path> ancestry(Path mount, String path) {
        List<Path> dirs = new ArrayList<>();
        Path dir = mount.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        while (dir.startsWith(mount)) {
            if (Files.isDirectory(dir)) {
                dirs.add(dir);
            }
            if (dir.equals(mount)) {
                break;
            }
            dir = dir.getParent();
        }
        return dirs;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static long bytes(String text) {
        if (text == null || text.equals("max")) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            return value >= UNLIMITED_FROM ? 0 : value;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "1.5 CPUs", "2 CPUs". */
    public static String cpusText(double cpus) {
        return (cpus == Math.rint(cpus) ? Long.toString((long) cpus) : String.format(Locale.ROOT, "%.2f", cpus)
                .replaceFirst("0$", "")) + (cpus == 1 ? " CPU" : " CPUs");
    }
}
