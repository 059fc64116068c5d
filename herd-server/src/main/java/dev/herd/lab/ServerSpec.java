package dev.herd.lab;

/**
 * A herd configuration to start for a measurement: execution model, workers, threads, event
 * loops, whether it is pinned to one core (-1: all cores), the emulated GIL, and the app (empty:
 * the built-in demo app).
 */
public record ServerSpec(String model, int workers, int threads, int ioThreads, int pinnedCore, boolean gil,
                         String appJar, String appClass) {

    public boolean pinned() {
        return pinnedCore >= 0;
    }
}
