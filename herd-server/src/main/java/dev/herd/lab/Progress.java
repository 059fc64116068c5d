package dev.herd.lab;

import java.io.PrintStream;

/**
 * The progress bar on standard error: steps done, what runs now, and the time left, estimated
 * from the fixed load durations plus the server start times seen so far.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final int steps;
    private final int starts;
    private final double secondsPerStep;
    private int done;
    private int started;
    private double startSeconds = 2.0;
    private long startedAt = System.nanoTime();

    Progress(PrintStream out, int steps, int starts, double secondsPerStep) {
        this.out = out;
        this.steps = steps;
        this.starts = starts;
        this.secondsPerStep = secondsPerStep;
    }

    static Progress silent() {
        return new Progress(new PrintStream(PrintStream.nullOutputStream()), 1, 1, 0);
    }

    void serverStartEstimate(double seconds) {
        startSeconds = seconds;
    }

    void serverStarted(double seconds) {
        startSeconds = (startSeconds * started + seconds) / (started + 1);
        started++;
    }

    void step(String what) {
        double left = (steps - done) * secondsPerStep + (starts - started) * startSeconds;
        int filled = steps == 0 ? WIDTH : done * WIDTH / steps;
        out.printf("\r[%s%s] %d/%d %-28s %s left   ", "#".repeat(filled), ".".repeat(WIDTH - filled), done, steps,
                what, clock(left));
        out.flush();
        done++;
    }

    void finish() {
        double took = (System.nanoTime() - startedAt) / 1e9;
        out.printf("\r[%s] %d/%d done in %s%s%n", "#".repeat(WIDTH), steps, steps, clock(took), " ".repeat(40));
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }

    void restart() {
        startedAt = System.nanoTime();
    }
}
