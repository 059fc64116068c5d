package dev.herd.state.local;

/** The state file cannot be read back: the master refuses to start (exit 2) and leaves the file as it is. */
public final class StateFileException extends Exception {

    public StateFileException(String message) {
        super(message);
    }
}
