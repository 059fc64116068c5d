package dev.herd.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a running lab server with one load run and samples its processes (master first, then
 * the workers) as the measured window opens and closes, so CPU and context switches cover
 * exactly the requests counted.
 */
final class Probe {

    record Outcome(LoadResult load, List<ProcessUsage> processes) {

        double cpuCores() {
            return processes.stream().mapToDouble(ProcessUsage::cpuSeconds).sum() / load.seconds();
        }

        double pssMiB() {
            return processes.stream().mapToDouble(ProcessUsage::pssMiB).sum();
        }
    }

    private Probe() {
    }

    static Outcome run(LabServer server, LoadSpec spec) throws InterruptedException {
        List<Long> pids = new ArrayList<>();
        pids.add(server.masterPid());
        pids.addAll(server.workerPids());
        Map<Long, ProcessSample> before = new LinkedHashMap<>();
        Map<Long, ProcessSample> after = new LinkedHashMap<>();
        Map<Long, Integer> connections = new LinkedHashMap<>();
        LoadResult result = LoadGenerator.run(spec, new LoadGenerator.Phases() {
            @Override
            public void measuring() {
                pids.forEach(pid -> before.put(pid, ProcessSample.of(pid)));
            }

            @Override
            public void measured() {
                pids.forEach(pid -> after.put(pid, ProcessSample.of(pid)));
                pids.forEach(pid -> connections.put(pid, Connections.held(pid, server.port())));
            }
        });
        List<ProcessUsage> usage = new ArrayList<>();
        for (int i = 0; i < pids.size(); i++) {
            long pid = pids.get(i);
            usage.add(ProcessUsage.between(i == 0 ? "master" : "worker", before.get(pid), after.get(pid),
                    connections.get(pid)));
        }
        return new Outcome(result, usage);
    }
}
