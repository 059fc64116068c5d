package dev.herd.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any text as {@code herd.toml}, each value it gives then parsed and checked by its setting, as
 * the resolver does: the only outcomes are values, a listed problem, or an
 * {@link InvalidSettingException} (one line, exit 2); never another exception. Seeds and
 * inputs that once crashed are in {@code ConfigFileFuzzTestInputs/toml}.
 */
class ConfigFileFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void toml(String text) {
        if (text == null) {
            return; // the mutator's way of saying nothing: a file is never null
        }
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, String> values = ConfigFile.parse(text, "herd.toml", problems);
        for (String problem : problems) {
            assertThat(problem).startsWith("herd.toml: ").doesNotContain("\n");
        }
        for (Map.Entry<Setting<?>, String> value : values.entrySet()) {
            try {
                value.getKey().parse(value.getValue());
            } catch (InvalidSettingException expected) {
                assertThat(expected.getMessage()).startsWith(value.getKey().flag());
            }
        }
    }
}
