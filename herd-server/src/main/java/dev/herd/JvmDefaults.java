package dev.herd;

/**
 * System properties every herd JVM (master, worker, AOT training run, lab) sets for itself
 * first thing, before Netty reads them. A value given with {@code -D} (say in
 * {@code --worker-jvm-opts}) wins.
 */
public final class JvmDefaults {

    private JvmDefaults() {
    }

    public static void apply() {
        // Netty 4.2 emits JFR events for its buffers when JFR is available, and the first buffer a
        // JVM allocates then loads JFR's event machinery (annotations through proxies, the class
        // file API): 55 ms of each worker's boot in its class-load log, with or without the AOT
        // cache, which cannot hold JFR event classes. Those events are for tuning Netty itself.
        setIfAbsent("io.netty.jfr.enabled", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
