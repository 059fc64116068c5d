package dev.herd.config;

/** A value that a setting rejects; the message is one line naming the setting's flag. */
public final class InvalidSettingException extends Exception {

    public InvalidSettingException(String message) {
        super(message);
    }
}
