package dev.herd.lab;

import java.util.List;

/**
 * One row shape of the seed's table, as a herd configuration: how many processes, how many
 * threads each, and which execution model gives that shape.
 */
public record Form(String name, String description, String model, int workers, int threads) {

    /** The six forms for N processes and M threads: the seed's four, then virtual threads and the event loop. */
    static List<Form> matrix(int processes, int threads) {
        return List.of(
                new Form("1x1", "1 process x 1 thread", "sync", 1, 1),
                new Form("1x" + threads, "1 process x " + threads + " threads", "threads", 1, threads),
                new Form(processes + "x1", processes + " processes x 1 thread", "sync", processes, 1),
                new Form(processes + "x" + threads, processes + " processes x " + threads + " threads", "threads",
                        processes, threads),
                new Form("virtual", "1 process, a virtual thread per request", "virtual", 1, 1),
                new Form("async", "1 process, 1 event loop", "async", 1, 1));
    }

    boolean singleThreaded() {
        return threads == 1 && !model.equals("virtual") && !model.equals("async");
    }

    boolean multiProcess() {
        return workers > 1;
    }

    boolean multiThreaded() {
        return model.equals("threads") || model.equals("virtual");
    }

    ServerSpec server(int pinnedCore, boolean gil) {
        return new ServerSpec(model, workers, threads, 1, pinnedCore, gil, "", "");
    }
}
