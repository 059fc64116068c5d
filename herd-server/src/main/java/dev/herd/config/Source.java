package dev.herd.config;

/** Where a resolved value came from, lowest precedence first. */
public enum Source {
    DEFAULT,
    ENVIRONMENT,
    COMMAND_LINE
}
