package dev.herd.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code docs/settings.md} from the registry, so the documentation cannot drift from the
 * code: a test fails when the committed file differs ({@code ./build docs} rewrites it).
 */
public final class SettingsDoc {

    private SettingsDoc() {
    }

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Settings\n\n")
                .append("<!-- Generated from dev.herd.config.Settings by `./build docs`; do not edit by hand. -->\n\n")
                .append("Every setting can be given as a command-line flag, as a key in the configuration file\n")
                .append("(`herd.toml`, or the file named by `-c/--config`), or as an environment variable.\n")
                .append("Precedence: defaults < file < environment < command line. `herd print-config` shows each\n")
                .append("resolved value and where it came from; `herd check-config` validates without serving.\n")
                .append("`WEB_CONCURRENCY` sets the default worker count when `HERD_WORKERS` is not set.\n")
                .append("A flag given twice takes its last value (`-w 2 -w 4` is 4 workers), as in Gunicorn,\n")
                .append("Uvicorn and Puma; a repeatable flag (`--bind`, `--static`, ...) keeps every value.\n\n")
                .append("In the file, keys are written as below (`worker-class`, or `worker_class`); repeatable\n")
                .append("settings take an array, e.g. `bind = [\"127.0.0.1:8000\", \"unix:/run/herd.sock\"]`.\n");
        for (Section section : Section.values()) {
            out.append("\n## ").append(section.title()).append("\n");
            for (Setting<?> setting : Settings.all()) {
                if (setting.section() != section) {
                    continue;
                }
                out.append("\n### `").append(setting.positional() ? setting.flag() : setting.key()).append("`\n\n");
                out.append(setting.help()).append("\n\n");
                if (!setting.positional()) {
                    out.append("- flag: `").append(setting.shortFlag() == null ? "" : setting.shortFlag() + ", ")
                            .append(setting.flag()).append(' ').append(setting.type().label()).append('`')
                            .append(setting.repeatable() ? " (repeatable)" : "").append('\n');
                } else {
                    out.append("- positional: `herd serve [OPTIONS] ").append(setting.flag()).append("`\n");
                }
                out.append("- environment: `").append(setting.envName()).append("`\n");
                String fallback = setting.format(setting.fallback());
                out.append("- default: ").append(fallback.isEmpty() ? "(none)" : "`" + fallback + "`").append('\n');
            }
        }
        return out.toString();
    }

    /** {@code java dev.herd.config.SettingsDoc PATH} rewrites the file. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }
}
