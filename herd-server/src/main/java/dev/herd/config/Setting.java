package dev.herd.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One setting, declared once: from this declaration come its command-line flag, its
 * {@code HERD_*} environment variable, its validation and its line in the help.
 *
 * @param key        kebab-case name; the long flag is {@code --key}
 * @param shortFlag  e.g. {@code -w}, or {@code null}
 * @param section    where help groups it
 * @param type       how values are parsed and printed
 * @param fallback   the default value
 * @param check      returns a complaint about a parsed value, or {@code null} when it is fine
 * @param help       one or two sentences for help and docs
 * @param positional the value is the command's positional parameter rather than a flag
 */
public record Setting<T>(String key, String shortFlag, Section section, ValueType<T> type, T fallback,
                         Function<T, String> check, String help, boolean positional) {

    public String flag() {
        return positional ? key.toUpperCase(Locale.ROOT) : "--" + key;
    }

    public String envName() {
        return "HERD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public boolean repeatable() {
        return fallback instanceof java.util.List;
    }

    /** Parses and checks one textual value; the error names the flag. */
    public T parse(String text) throws InvalidSettingException {
        T value;
        try {
            value = type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(flag() + ": " + e.getMessage());
        }
        validate(value);
        return value;
    }

    public void validate(T value) throws InvalidSettingException {
        String complaint = check.apply(value);
        if (complaint != null) {
            throw new InvalidSettingException(flag() + ": " + complaint);
        }
    }

    public String format(Object value) {
        return type.format(cast(value));
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }
}
