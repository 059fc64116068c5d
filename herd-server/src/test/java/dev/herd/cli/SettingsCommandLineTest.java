package dev.herd.cli;

import dev.herd.config.Setting;
import dev.herd.config.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flags as the settings get them. A flag given twice takes its last value, as argparse,
 * click and Ruby's OptionParser do (Gunicorn, Uvicorn, Puma): a script can add an override to
 * a command line it was given. A repeatable flag keeps every value.
 */
class SettingsCommandLineTest {

    private static Map<Setting<?>, List<String>> parse(String... args) {
        CommandLine commandLine = SettingsCommandLine.build("serve", "test");
        return SettingsCommandLine.values(commandLine.parseArgs(args));
    }

    @Test
    void aFlagGivenTwiceTakesItsLastValue() {
        Map<Setting<?>, List<String>> given = parse("-k", "async", "-w", "2", "--worker-class=virtual", "-w3");
        assertThat(given.get(Settings.WORKER_CLASS)).containsExactly("virtual");
        assertThat(given.get(Settings.WORKERS)).containsExactly("3");
    }

    @Test
    void aRepeatableFlagKeepsEveryValueInOrder() {
        Map<Setting<?>, List<String>> given = parse("-b", "127.0.0.1:1", "-w", "2", "--bind", "127.0.0.1:2",
                "--static", "/a=x", "--static", "/b=y");
        assertThat(given.get(Settings.BIND)).containsExactly("127.0.0.1:1", "127.0.0.1:2");
        assertThat(given.get(Settings.STATIC)).containsExactly("/a=x", "/b=y");
        assertThat(given.get(Settings.WORKERS)).containsExactly("2");
    }

    @Test
    void aSwitchGivenTwiceTakesItsLastForm() {
        assertThat(parse("--metrics", "--no-metrics").get(Settings.METRICS)).containsExactly("false");
        assertThat(parse("--no-metrics", "--metrics").get(Settings.METRICS)).containsExactly("true");
    }
}
