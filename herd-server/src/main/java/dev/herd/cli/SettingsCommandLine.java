package dev.herd.cli;

import dev.herd.config.Section;
import dev.herd.config.Setting;
import dev.herd.config.Settings;
import dev.herd.config.ValueType;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives a command's flags from the settings registry, so a setting is declared once. Values
 * are taken as text here; the settings parse and validate them, so every error names the flag
 * the same way whether the value came from a flag or the environment.
 */
final class SettingsCommandLine {

    private SettingsCommandLine() {
    }

    static CommandLine build(String name, String description) {
        CommandSpec spec = CommandSpec.create().name("herd " + name);
        spec.usageMessage().description(description)
                // picocli's own synopsis would list every flag of every section, twice over.
                .customSynopsis("herd " + name + " [OPTION]... [APP]");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help.").build());
        for (Section section : Section.values()) {
            // The groups only head the sections of --help. "0..*": a flag given twice would
            // otherwise make picocli look for a second match of its whole group and fail with
            // the group's usage in one long line.
            ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading("%n" + section.title() + ":%n")
                    .exclusive(false).multiplicity("0..*");
            boolean any = false;
            for (Setting<?> setting : Settings.all()) {
                if (setting.section() != section) {
                    continue;
                }
                if (setting.positional()) {
                    spec.addPositional(positional(setting));
                } else {
                    group.addArg(option(setting));
                    any = true;
                }
            }
            if (any) {
                spec.addArgGroup(group.build());
            }
        }
        CommandLine commandLine = new CommandLine(spec);
        commandLine.setUnmatchedArgumentsAllowed(false);
        // A flag given twice takes its last value, as argparse, click and OptionParser do
        // (Gunicorn, Uvicorn, Puma): a script may add an override to a command line it was given.
        commandLine.setOverwrittenOptionsAllowed(true);
        return commandLine;
    }

    /**
     * Each setting given on the command line, with its raw values in order: every value of a
     * repeatable flag, the last of any other.
     */
    static Map<Setting<?>, List<String>> values(CommandLine.ParseResult parsed) {
        Map<Setting<?>, List<String>> values = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.all()) {
            List<String> raw = setting.positional()
                    ? positionalValues(parsed, setting)
                    : !parsed.hasMatchedOption(setting.flag()) ? List.of()
                    : setting.type() == ValueType.BOOL
                    ? List.of(String.valueOf(parsed.matchedOption(setting.flag()).<Boolean>getValue()))
                    : setting.repeatable() ? parsed.matchedOption(setting.flag()).stringValues()
                    : List.of(parsed.matchedOption(setting.flag()).stringValues().getLast());
            if (!raw.isEmpty()) {
                values.put(setting, raw);
            }
        }
        return values;
    }

    private static List<String> positionalValues(CommandLine.ParseResult parsed, Setting<?> setting) {
        List<String> raw = new ArrayList<>();
        for (PositionalParamSpec positional : parsed.matchedPositionals()) {
            if (positional.paramLabel().equals(setting.flag())) {
                raw.addAll(positional.stringValues());
            }
        }
        return raw;
    }

    private static OptionSpec option(Setting<?> setting) {
        String[] names = setting.shortFlag() == null
                ? new String[]{setting.flag()} : new String[]{setting.shortFlag(), setting.flag()};
        String fallback = setting.format(setting.fallback());
        if (setting.type() == ValueType.BOOL) {
            // A switch stands alone (--reload), as in the servers it comes from, and has a
            // negative (--no-metrics) for one that is on by default; the environment or the
            // file can say either too.
            return OptionSpec.builder(names)
                    .type(boolean.class)
                    .arity("0")
                    .negatable(true)
                    .description(literal(setting.help() + " Env: " + setting.envName() + "."))
                    .build();
        }
        return OptionSpec.builder(names)
                .paramLabel(setting.type().label())
                .type(setting.repeatable() ? List.class : String.class)
                .auxiliaryTypes(String.class)
                .arity("1")
                .description(literal(setting.help() + (fallback.isEmpty() ? "" : " Default: " + fallback + ".")
                        + " Env: " + setting.envName() + "."))
                .build();
    }

    private static PositionalParamSpec positional(Setting<?> setting) {
        return PositionalParamSpec.builder()
                .paramLabel(setting.flag())
                .index("0")
                .arity("0..1")
                .type(String.class)
                .description(literal(setting.help()))
                .build();
    }

    /** picocli reads descriptions as format strings; the access-log format's default is full of '%'. */
    private static String literal(String text) {
        return text.replace("%", "%%");
    }
}
