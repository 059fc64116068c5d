package dev.herd.bench.peers;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The /cpu work of every JVM peer: the same chained SHA-256 of 32 bytes as herd's demo app
 * (dev.herd.demo.CpuWork), 20,000 rounds (about 1 ms of one core), overridable with the same
 * HERD_DEMO_ROUNDS_PER_MS so that herd and its peers always burn the same instructions.
 */
final class CpuWork {

    static final int ROUNDS = rounds();

    private CpuWork() {
    }

    static int burn() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] digest = new byte[32];
        for (int i = 0; i < ROUNDS; i++) {
            digest = sha.digest(digest);
        }
        return digest[0];
    }

    private static int rounds() {
        String override = System.getenv("HERD_DEMO_ROUNDS_PER_MS");
        return override == null ? 20_000 : Math.max(1, Integer.parseInt(override.trim()));
    }
}
