package dev.herd.lab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMixTest {

    @Test
    void blendKeepsTheShareAndSpreadsIt() {
        RequestMix mix = RequestMix.blend("/cpu", "/io", 0.3);
        assertThat(mix.cycle()).hasSize(100);
        assertThat(mix.cycle().stream().filter("/cpu"::equals).count()).isEqualTo(30);
        // Spread out: never two /cpu in a row at 30 %.
        for (int i = 0; i < 200; i++) {
            assertThat(mix.path(i).equals("/cpu") && mix.path(i + 1).equals("/cpu")).isFalse();
        }
        assertThat(mix.paths()).containsExactlyInAnyOrder("/cpu", "/io");
    }

    @Test
    void extremesAreOnePath() {
        assertThat(RequestMix.blend("/cpu", "/io", 1).paths()).containsExactly("/cpu");
        assertThat(RequestMix.blend("/cpu", "/io", 0).paths()).containsExactly("/io");
    }
}
