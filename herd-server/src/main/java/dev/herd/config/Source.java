package dev.herd.config;

/** Where a resolved value came from, lowest precedence first. */
public enum Source {
    DEFAULT("default"),
    FILE("file"),
    ENVIRONMENT("environment"),
    COMMAND_LINE("command line");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
