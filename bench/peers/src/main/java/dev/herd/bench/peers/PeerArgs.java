package dev.herd.bench.peers;

/** The command line every JVM peer takes: PORT THREADS (event loops, or virtual thread carriers). */
record PeerArgs(int port, int threads) {

    static PeerArgs parse(String name, String[] args) {
        if (args.length != 2) {
            System.err.println(name + ": usage: PORT THREADS");
            System.exit(2);
        }
        try {
            return new PeerArgs(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        } catch (NumberFormatException e) {
            System.err.println(name + ": PORT and THREADS must be integers, got " + String.join(" ", args));
            System.exit(2);
            throw new AssertionError(e);
        }
    }

    /** The line the harness waits for: the server accepts connections from now on. */
    void ready(String name) {
        System.out.println(name + " ready port=" + port + " threads=" + threads);
        System.out.flush();
    }
}
