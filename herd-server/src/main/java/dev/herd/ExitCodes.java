package dev.herd;

/** Every exit status herd's processes use, in one place (Gunicorn's numbers where they overlap). */
public final class ExitCodes {

    public static final int OK = 0;
    /** Something unexpected: a bug or an environment problem, logged before exiting. */
    public static final int ERROR = 1;
    /** A bad flag, value or app name; one line says what. */
    public static final int USAGE = 2;
    /** Workers could not boot (the master gives up instead of looping). */
    public static final int BOOT_ERROR = 3;
    /** A worker could not load or start the app. */
    public static final int APP_LOAD_ERROR = 4;
    /** A worker whose master went away. */
    public static final int MASTER_GONE = 5;

    private ExitCodes() {
    }
}
