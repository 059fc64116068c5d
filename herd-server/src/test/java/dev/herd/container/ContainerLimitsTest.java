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
        ContainerLimits limits = read(root, "0::/\n", "cgroup.controllers", "cpu memory pids\n",
                "cpu.max", "150000 100000\n", "memory.max", "1073741824\n");
        assertThat(limits.cpus()).isEqualTo(1.5);
        assertThat(limits.memoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void cgroupV2OnAHostTakesTheSmallestLimitOfTheAncestors(@TempDir Path root) throws Exception {
        ContainerLimits limits = read(root, "0::/system.slice/herd.service\n", "cgroup.controllers", "cpu memory\n",
                "system.slice/cpu.max", "200000 100000\n", "system.slice/memory.max", "max\n",
                "system.slice/herd.service/cpu.max", "max 100000\n",
                "system.slice/herd.service/memory.max", "536870912\n");
        assertThat(limits.cpus()).isEqualTo(2.0);
        assertThat(limits.memoryBytes()).isEqualTo(512L << 20);
    }

    @Test
    void cgroupV1WithoutLimitsHasNone(@TempDir Path root) throws Exception {
        ContainerLimits limits = read(root, "4:memory:/\n1:cpu,cpuacct:/\n", "cpu/cpu.cfs_quota_us", "-1\n",
                "cpu/cpu.cfs_period_us", "100000\n", "memory/memory.limit_in_bytes", "9223372036854771712\n");
        assertThat(limits.cpuLimited()).isFalse();
        assertThat(limits.memoryLimited()).isFalse();
    }

    @Test
    void cgroupV1InAContainerReadsTheMountWhenThePathIsTheHosts(@TempDir Path root) throws Exception {
        ContainerLimits limits = read(root, "4:memory:/libpod_parent/libpod-abc\n1:cpu,cpuacct:/libpod_parent/libpod-abc\n",
                "cpu,cpuacct/cpu.cfs_quota_us", "50000\n", "cpu,cpuacct/cpu.cfs_period_us", "100000\n",
                "memory/memory.limit_in_bytes", "268435456\n");
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

    /**
     * The limits read from a cgroup tree under {@code root} holding {@code files} (path, content,
     * path, content, ...), for a process whose /proc/self/cgroup says {@code self}.
     */
    private static ContainerLimits read(Path root, String self, String... files) throws Exception {
        for (int i = 0; i < files.length; i += 2) {
            Path file = root.resolve(files[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, files[i + 1]);
        }
        Path selfCgroup = Files.writeString(root.resolveSibling(root.getFileName() + "-self"), self);
        return ContainerLimits.read(root, selfCgroup);
    }
}
