package dev.herd.container;

import dev.herd.config.WorkerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The cgroup files as the kernel lays them out (v1 and v2), and the sizing worked out from them. */
class ContainerLimitsTest {

    @Test
    void cgroupV2InAContainerReadsItsOwnRoot(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(root.resolve("cpu.max"), "150000 100000\n");
        Files.writeString(root.resolve("memory.max"), "1073741824\n");
        Path self = write(root.resolveSibling(root.getFileName() + "-self"), "0::/\n");
        ContainerLimits limits = ContainerLimits.read(root, self);
        assertThat(limits.cpus()).isEqualTo(1.5);
        assertThat(limits.memoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void cgroupV2OnAHostTakesTheSmallestLimitOfTheAncestors(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory\n");
        Path slice = Files.createDirectories(root.resolve("system.slice/herd.service"));
        Files.writeString(root.resolve("system.slice/cpu.max"), "200000 100000\n");
        Files.writeString(root.resolve("system.slice/memory.max"), "max\n");
        Files.writeString(slice.resolve("cpu.max"), "max 100000\n");
        Files.writeString(slice.resolve("memory.max"), "536870912\n");
        Path self = write(root.resolveSibling(root.getFileName() + "-self"), "0::/system.slice/herd.service\n");
        ContainerLimits limits = ContainerLimits.read(root, self);
        assertThat(limits.cpus()).isEqualTo(2.0);
        assertThat(limits.memoryBytes()).isEqualTo(512L << 20);
    }

    @Test
    void cgroupV1WithoutLimitsHasNone(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("cpu"));
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1\n");
        Files.writeString(root.resolve("cpu/cpu.cfs_period_us"), "100000\n");
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
        Path self = write(root.resolveSibling(root.getFileName() + "-self"), "4:memory:/\n1:cpu,cpuacct:/\n");
        ContainerLimits limits = ContainerLimits.read(root, self);
        assertThat(limits.cpuLimited()).isFalse();
        assertThat(limits.memoryLimited()).isFalse();
    }

    @Test
    void cgroupV1InAContainerReadsTheMountWhenThePathIsTheHosts(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("cpu,cpuacct"));
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("cpu,cpuacct/cpu.cfs_quota_us"), "50000\n");
        Files.writeString(root.resolve("cpu,cpuacct/cpu.cfs_period_us"), "100000\n");
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "268435456\n");
        Path self = write(root.resolveSibling(root.getFileName() + "-self"),
                "4:memory:/libpod_parent/libpod-abc\n1:cpu,cpuacct:/libpod_parent/libpod-abc\n");
        ContainerLimits limits = ContainerLimits.read(root, self);
        assertThat(limits.cpus()).isEqualTo(0.5);
        assertThat(limits.memoryBytes()).isEqualTo(256L << 20);
    }

    @Test
    void autoWorkersFollowTheCpuLimitAndTheModel() {
        ContainerLimits limits = new ContainerLimits(1.5, 1L << 30, "cpu.max", "memory.max");
        assertThat(WorkerSizing.autoWorkers(WorkerClass.THREADS, limits, 16).workers()).isEqualTo(2);
        assertThat(WorkerSizing.autoWorkers(WorkerClass.SYNC, limits, 16).workers()).isEqualTo(5);
        ContainerLimits none = new ContainerLimits(0, 0, "none", "none");
        assertThat(WorkerSizing.autoWorkers(WorkerClass.ASYNC, none, 3).workers()).isEqualTo(3);
        assertThat(WorkerSizing.autoWorkers(WorkerClass.VIRTUAL, new ContainerLimits(0.25, 0, "", ""), 8).workers())
                .isEqualTo(1);
    }

    @Test
    void eachWorkerGetsItsShareUnlessTheUserSaidOtherwise() {
        ContainerLimits limits = new ContainerLimits(1.5, 1L << 30, "cpu.max", "memory.max");
        // 1024 MiB / (2 workers + master) / 2
        assertThat(WorkerSizing.share(limits, 2, List.of()).options())
                .containsExactly("-Xmx170m", "-XX:ActiveProcessorCount=1");
        assertThat(WorkerSizing.share(limits, 4, List.of()).options())
                .containsExactly("-Xmx102m", "-XX:ActiveProcessorCount=1");
        assertThat(WorkerSizing.share(new ContainerLimits(4, 0, "", ""), 2, List.of()).options())
                .containsExactly("-XX:ActiveProcessorCount=2");
        assertThat(WorkerSizing.share(limits, 2, List.of("-Xmx300m", "-XX:ActiveProcessorCount=2")).options()).isEmpty();
        assertThat(WorkerSizing.share(new ContainerLimits(0, 0, "", ""), 2, List.of()).options()).isEmpty();
        assertThat(WorkerSizing.share(new ContainerLimits(0, 128L << 20, "", ""), 8, List.of()).why())
                .contains("raised to the 32 MiB minimum");
    }

    private static Path write(Path file, String text) throws Exception {
        return Files.writeString(file, text);
    }
}
