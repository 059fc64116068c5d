package dev.herd.config;

import java.util.List;

/**
 * Values that settings reject. Each problem is one line naming the setting's flag (and where
 * the value came from when that was not the command line).
 */
public final class InvalidSettingException extends Exception {

    private final List<String> problems;

    public InvalidSettingException(String problem) {
        this(List.of(problem));
    }

    public InvalidSettingException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
