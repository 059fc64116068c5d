package dev.herd.bench.peers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Prints the CPU time, in ms, of one /cpu request's work once the JIT has compiled it: the
 * harness divides the cores by it to get the /cpu ceiling.
 */
public final class Calibrate {

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int sink = 0;
        for (int i = 0; i < 1_000; i++) {
            sink += CpuWork.burn();
        }
        int runs = 500;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < runs; i++) {
            sink += CpuWork.burn();
        }
        double ms = (threads.getCurrentThreadCpuTime() - start) / 1e6 / runs;
        System.out.printf("%.4f ms (%d rounds; %d)%n", ms, CpuWork.ROUNDS, sink & 1);
    }
}
