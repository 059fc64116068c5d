package dev.herd.state.local;

/**
 * The local store at one moment, for {@code herd ctl status}.
 *
 * @param fileBytes the state file's size, or -1 without one
 */
public record StateStats(int keys, long bytes, long maxBytes, long evictions, long expirations, int connections,
                         long fileBytes, long compactions) {
}
