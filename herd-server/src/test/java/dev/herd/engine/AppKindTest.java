package dev.herd.engine;

import dev.herd.config.Config;
import dev.herd.config.ConfigResolver;
import dev.herd.config.InvalidSettingException;
import dev.herd.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppKindTest {

    private static Config config(String... pairs) throws InvalidSettingException {
        Map<dev.herd.config.Setting<?>, List<String>> given = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            given.put(Settings.byKey(pairs[i]), List.of(pairs[i + 1]));
        }
        return ConfigResolver.resolve(Map.of(), given);
    }

    @Test
    void theAppDecidesTheEngine(@TempDir Path dir) throws Exception {
        assertThat(AppKind.of(config())).isEqualTo(AppKind.HERD);
        assertThat(AppKind.of(config("app", "com.example.App"))).isEqualTo(AppKind.HERD);
        assertThat(AppKind.of(config("app", "shop.war"))).isEqualTo(AppKind.SERVLET);
        assertThat(AppKind.of(config("app", "build/exploded"))).isEqualTo(AppKind.SERVLET);
        Files.createDirectories(dir.resolve("WEB-INF"));
        assertThat(AppKind.of(config("app", dir.toString()))).isEqualTo(AppKind.SERVLET);
        assertThat(AppKind.of(config("app-jar", "a.jar", "servlet", "com.example.S"))).isEqualTo(AppKind.SERVLET);
        assertThat(AppKind.of(config("app-jar", "a.jar", "main", "com.example.Main"))).isEqualTo(AppKind.JDK_HTTP);
        assertThat(AppKind.JDK_HTTP.engine()).isEqualTo("herd");
        assertThat(AppKind.SERVLET.engine()).isEqualTo("servlet");
    }

    @Test
    void theMasterRefusesWhatNoWorkerCouldServe(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> AppCheck.check(config("app", "x.war", "worker-class", "async")))
                .hasMessageStartingWith("servlet apps run under --worker-class sync, threads or virtual, not async");
        assertThatThrownBy(() -> AppCheck.check(config("main", "com.example.Main")))
                .hasMessage("--main com.example.Main needs --app-jar, the jar or classes folder holding it");
        assertThatThrownBy(() -> AppCheck.check(config("app", "com.example.App", "main", "com.example.Main")))
                .hasMessage("give either an app (com.example.App) or --main com.example.Main, not both");
        assertThatThrownBy(() -> AppCheck.check(config("app-jar", dir.toString(), "main", "com.example.Main",
                "worker-class", "async"))).hasMessageContaining("not async");
        assertThatThrownBy(() -> AppCheck.check(config("app-jar", dir.toString(), "main", "com.example.Main")))
                .hasMessage("main class com.example.Main not found in " + dir);
    }
}
