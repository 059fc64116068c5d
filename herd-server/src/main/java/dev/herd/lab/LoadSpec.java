package dev.herd.lab;

import java.time.Duration;

/**
 * One load run: where, what, how hard and how long. {@code rate} 0 means closed loop (each
 * connection sends its next request as soon as the answer came); otherwise a constant rate in
 * requests per second over all connections. The run lasts {@code warmup + duration}; only the
 * answers that arrive within {@code duration} count.
 */
public record LoadSpec(String host, int port, RequestMix mix, int connections, double rate, Duration warmup,
                       Duration duration, int threads) {

    public LoadSpec {
        if (connections < 1 || threads < 1 || rate < 0 || duration.isZero() || duration.isNegative()
                || warmup.isNegative()) {
            throw new IllegalArgumentException("bad load spec: " + connections + " connections, " + threads
                    + " threads, rate " + rate + ", duration " + duration + ", warm-up " + warmup);
        }
        threads = Math.min(threads, connections);
    }

    public boolean closedLoop() {
        return rate == 0;
    }
}
