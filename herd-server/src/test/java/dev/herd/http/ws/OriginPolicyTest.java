package dev.herd.http.ws;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginPolicyTest {

    @Test
    void sameOriginComparesHostAndPortWithDefaults() {
        OriginPolicy same = OriginPolicy.of(List.of("same"));
        assertThat(same.allows(null, "a.example")).as("no Origin: not a browser").isTrue();
        assertThat(same.allows("http://a.example", "a.example")).isTrue();
        assertThat(same.allows("http://a.example", "a.example:80")).isTrue();
        assertThat(same.allows("https://a.example", "a.example:443")).isTrue();
        assertThat(same.allows("http://A.Example:8000", "a.example:8000")).isTrue();
        assertThat(same.allows("http://a.example:8001", "a.example:8000")).isFalse();
        assertThat(same.allows("http://b.example", "a.example")).isFalse();
        assertThat(same.allows("http://a.example.evil.example", "a.example")).isFalse();
        assertThat(same.allows("http://[::1]:8000", "[::1]:8000")).isTrue();
        assertThat(same.allows("null", "a.example")).isFalse();
        assertThat(same.allows("http://a.example", null)).isFalse();
    }

    @Test
    void listedOriginsAndStar() {
        OriginPolicy listed = OriginPolicy.of(List.of("https://app.example"));
        assertThat(listed.allows("https://app.example", "api.example")).isTrue();
        assertThat(listed.allows("http://app.example", "api.example")).isFalse();
        assertThat(listed.allows("https://api.example", "api.example")).as("'same' not listed").isFalse();
        assertThat(OriginPolicy.of(List.of("*")).allows("https://anything.example", "api.example")).isTrue();
    }
}
