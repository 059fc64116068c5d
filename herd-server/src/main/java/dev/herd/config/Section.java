package dev.herd.config;

/** Groups of settings, in the order help and documentation show them. */
public enum Section {
    SERVER("Server"),
    WORKERS("Workers"),
    TIMEOUTS("Timeouts"),
    HTTP("HTTP"),
    APP("App"),
    STATE("Shared state"),
    LOGGING("Logging");

    private final String title;

    Section(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
