package dev.herd.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The paths a load run sends, in a fixed repeating order, so a mixed workload is the same mix
 * in every run (comparable across runs) instead of a random draw.
 */
public record RequestMix(List<String> cycle) {

    public RequestMix {
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("a request mix needs at least one path");
        }
        cycle = List.copyOf(cycle);
    }

    public static RequestMix of(String path) {
        return new RequestMix(List.of(path));
    }

    /** {@code first} for a {@code fraction} (0..1) of the requests, {@code second} for the rest, spread evenly. */
    public static RequestMix blend(String first, String second, double fraction) {
        List<String> cycle = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
            boolean takeFirst = Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
            cycle.add(takeFirst ? first : second);
        }
        return new RequestMix(cycle);
    }

    public String path(long n) {
        return cycle.get((int) (n % cycle.size()));
    }

    /** The distinct paths, in order of first appearance. */
    public List<String> paths() {
        return cycle.stream().distinct().toList();
    }
}
