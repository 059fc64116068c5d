package dev.herd.config;

/** When {@code --state-file} is forced to disk (Redis's appendfsync, same names and meaning). */
public enum StateFsync {
    ALWAYS,
    EVERYSEC,
    NO
}
