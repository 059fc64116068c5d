package dev.herd.demo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Pure CPU work of a fixed size: a chain of SHA-256 over 32 bytes, the same work the peer
 * benchmarks use, so "1 ms of CPU" means the same instructions in every execution model.
 */
public final class CpuWork {

    /**
     * Rounds that take about 1 ms of one core on the reference machine (a 2-core AMD EPYC:
     * 20,000 rounds of SHA-256 over 32 bytes in Java 25). Set {@code HERD_DEMO_ROUNDS_PER_MS}
     * to calibrate for another machine.
     */
    public static final int ROUNDS_PER_MS = roundsPerMs();

    private CpuWork() {
    }

    /** Burns about {@code ms} milliseconds of CPU; returns a byte of the result so it is not optimised away. */
    public static int burn(int ms) {
        return burn(ms, Gil.PROCESS);
    }

    /** Burns while holding {@code gil}, which the caller holds; it is offered to waiters every switch interval. */
    static int burn(int ms, Gil gil) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] digest = new byte[32];
        long rounds = (long) ms * ROUNDS_PER_MS;
        long heldSince = System.nanoTime();
        for (long i = 0; i < rounds; i++) {
            digest = sha.digest(digest);
            if ((i & 1023) == 1023) {
                heldSince = gil.yieldIfDue(heldSince);
            }
        }
        return digest[0];
    }

    private static int roundsPerMs() {
        String override = System.getenv("HERD_DEMO_ROUNDS_PER_MS");
        if (override != null) {
            try {
                return Math.max(1, Integer.parseInt(override.trim()));
            } catch (NumberFormatException ignored) {
                // Fall back to the reference figure.
            }
        }
        return 20_000;
    }
}
