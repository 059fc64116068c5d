package dev.herd.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigResolverTest {

    @Test
    void defaultsApplyWhenNothingIsGiven() throws Exception {
        Config config = ConfigResolver.resolve(Map.of(), Map.of());
        assertThat(config.workers()).isEqualTo(1);
        assertThat(config.workerClass()).isEqualTo(WorkerClass.THREADS);
        assertThat(config.binds()).containsExactly(new BindAddress("127.0.0.1", 8000));
        assertThat(config.source(Settings.WORKERS)).isEqualTo(Source.DEFAULT);
    }

    @Test
    void environmentBeatsDefaultsAndCommandLineBeatsEnvironment() throws Exception {
        Map<String, String> env = Map.of("HERD_WORKERS", "3", "HERD_TIMEOUT", "7.5");
        Config fromEnv = ConfigResolver.resolve(env, Map.of());
        assertThat(fromEnv.workers()).isEqualTo(3);
        assertThat(fromEnv.timeout()).isEqualTo(Duration.ofMillis(7500));
        assertThat(fromEnv.source(Settings.WORKERS)).isEqualTo(Source.ENVIRONMENT);

        Config fromCli = ConfigResolver.resolve(env, Map.of(Settings.WORKERS, List.of("5")));
        assertThat(fromCli.workers()).isEqualTo(5);
        assertThat(fromCli.source(Settings.WORKERS)).isEqualTo(Source.COMMAND_LINE);
        assertThat(fromCli.timeout()).isEqualTo(Duration.ofMillis(7500));
    }

    @Test
    void webConcurrencySetsTheDefaultWorkerCountButHerdWorkersWins() throws Exception {
        assertThat(ConfigResolver.resolve(Map.of("WEB_CONCURRENCY", "6"), Map.of()).workers()).isEqualTo(6);
        assertThat(ConfigResolver.resolve(Map.of("WEB_CONCURRENCY", "6", "HERD_WORKERS", "2"), Map.of()).workers())
                .isEqualTo(2);
    }

    @Test
    void fileBeatsWebConcurrencyAndEnvironmentBeatsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("herd.toml"), "workers = 3\nthreads = 4\n");
        Config config = new ConfigResolver(Map.of("WEB_CONCURRENCY", "6", "HERD_THREADS", "9"), Map.of(), dir).resolve();
        assertThat(config.workers()).isEqualTo(3);
        assertThat(config.source(Settings.WORKERS)).isEqualTo(Source.FILE);
        assertThat(config.threads()).isEqualTo(9);
        assertThat(config.source(Settings.THREADS)).isEqualTo(Source.ENVIRONMENT);
    }

    @Test
    void repeatedBindFlagsAccumulate() throws Exception {
        Config config = ConfigResolver.resolve(Map.of(),
                Map.of(Settings.BIND, List.of("127.0.0.1:0", "[::1]:9000")));
        assertThat(config.binds()).containsExactly(new BindAddress("127.0.0.1", 0), new BindAddress("::1", 9000));
    }

    @Test
    void badValuesNameTheirFlagOrVariable() {
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(), Map.of(Settings.WORKERS, List.of("0"))))
                .hasMessage("--workers: must be at least 1, got 0");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of("HERD_WORKER_CLASS", "fibers"), Map.of()))
                .hasMessageStartingWith("--worker-class: 'fibers' is not one of sync|threads|virtual|async")
                .hasMessageEndingWith("(from $HERD_WORKER_CLASS)");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of("WEB_CONCURRENCY", "many"), Map.of()))
                .hasMessage("--workers: expected a number or auto, got 'many' (from $WEB_CONCURRENCY)");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(), Map.of(Settings.BIND, List.of("localhost"))))
                .hasMessageStartingWith("--bind: expected HOST:PORT");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(),
                Map.of(Settings.FORWARDED_ALLOW_IPS, List.of("10.0.0.1", "1.2.3"))))
                .hasMessage("--forwarded-allow-ips: expected IP addresses or networks (10.0.0.0/8), 'unix' or '*', got '1.2.3'");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(),
                Map.of(Settings.ACCESS_LOG, List.of("/no/such/dir/access.log"))))
                .hasMessage("--access-log: the directory of '/no/such/dir/access.log' does not exist");
    }

    @Test
    void textFormRoundTripsForWorkers() throws Exception {
        Config config = ConfigResolver.resolve(Map.of(), Map.of(
                Settings.BIND, List.of("127.0.0.1:0"),
                Settings.WORKER_CLASS, List.of("async"),
                Settings.GRACEFUL_TIMEOUT, List.of("2.5")));
        Config copy = Config.fromText(config.toText());
        for (Setting<?> setting : Settings.all()) {
            assertThat(copy.get(setting)).as(setting.key()).isEqualTo(config.get(setting));
        }
    }

    @Test
    void aSwitchComesFromTheFlagTheEnvironmentOrTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(ConfigResolver.resolve(Map.of(), Map.of()).get(Settings.RELOAD)).isFalse();
        assertThat(ConfigResolver.resolve(Map.of(), Map.of(Settings.RELOAD, List.of("true"))).get(Settings.RELOAD)).isTrue();
        assertThat(ConfigResolver.resolve(Map.of("HERD_RELOAD", "yes"), Map.of()).get(Settings.RELOAD)).isTrue();
        java.nio.file.Files.writeString(dir.resolve("herd.toml"), "reload = true\n");
        assertThat(new ConfigResolver(Map.of(), Map.of(), dir).resolve().get(Settings.RELOAD)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigResolver.resolve(Map.of("HERD_RELOAD", "maybe"), Map.of()))
                .hasMessageContaining("not true or false: 'maybe'");
    }

    @Test
    void theAdminListenerLeavesLoopbackOnlyWithAToken() throws Exception {
        assertThat(ConfigResolver.resolve(Map.of(), Map.of(Settings.ADMIN_BIND, List.of("127.0.0.1:9100")))
                .get(Settings.ADMIN_BIND)).isEqualTo("127.0.0.1:9100");
        assertThat(ConfigResolver.resolve(Map.of(), Map.of(Settings.ADMIN_BIND, List.of("[::1]:9100")))
                .get(Settings.ADMIN_BIND)).isEqualTo("[::1]:9100");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(),
                        Map.of(Settings.ADMIN_BIND, List.of("0.0.0.0:9100"))))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("--admin-bind: 0.0.0.0:9100 is not a loopback address; set --admin-token (or"
                        + " $HERD_ADMIN_TOKEN) too, or bind it to 127.0.0.1");
        Config open = ConfigResolver.resolve(Map.of("HERD_ADMIN_TOKEN", "s3cret-s3cret-s3cret"),
                Map.of(Settings.ADMIN_BIND, List.of("0.0.0.0:9100")));
        assertThat(open.get(Settings.ADMIN_TOKEN)).isEqualTo("s3cret-s3cret-s3cret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(),
                        Map.of(Settings.ADMIN_TOKEN, List.of("short"))))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("at least 16 printable");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(),
                        Map.of(Settings.ADMIN_BIND, List.of("unix:/tmp/admin.sock"))))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("HOST:PORT");
    }
}
