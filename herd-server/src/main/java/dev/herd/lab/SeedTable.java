package dev.herd.lab;

/**
 * The seed table's third column: what the form gives on that many cores, concurrency (taking
 * turns) or parallelism (at the same time), as the seed states it. Under the emulated GIL a
 * process's threads only take turns, as in CPython.
 */
final class SeedTable {

    private SeedTable() {
    }

    static String says(Form form, String cores, boolean gil) {
        boolean one = cores.equals("one");
        if (form.model().equals("async")) {
            return "concurrency (1 loop)";
        }
        if (form.singleThreaded() && !form.multiProcess()) {
            return one ? "none (runs alone)" : "1 core's worth only";
        }
        if (one) {
            return "concurrency";
        }
        if (gil && !form.multiProcess()) {
            return "concurrency (GIL)";
        }
        return form.multiProcess() && form.multiThreaded() ? "parallelism, most" : "parallelism";
    }
}
