package dev.herd.config;

/** Whether {@code --static} serves names that start with a dot. */
public enum StaticDotfiles {
    DENY,
    ALLOW
}
