package dev.herd.redis;

import dev.herd.state.StateBackendProvider;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisAddressTest {

    private static RedisAddress parse(String uri) {
        return RedisAddress.parse(URI.create(uri));
    }

    @Test
    void portAndDatabaseHaveDefaults() {
        assertThat(parse("redis://cache.internal")).isEqualTo(new RedisAddress("cache.internal", 6379, 0, null, null));
        assertThat(parse("redis://127.0.0.1:6390/")).isEqualTo(new RedisAddress("127.0.0.1", 6390, 0, null, null));
        assertThat(parse("redis://127.0.0.1:6390/15")).isEqualTo(new RedisAddress("127.0.0.1", 6390, 15, null, null));
        assertThat(parse("REDIS://h:1").port()).isEqualTo(1);
    }

    @Test
    void aPasswordWithOrWithoutAUser() {
        assertThat(parse("redis://:s3cret@h:6379")).isEqualTo(new RedisAddress("h", 6379, 0, null, "s3cret"));
        assertThat(parse("redis://s3cret@h:6379")).isEqualTo(new RedisAddress("h", 6379, 0, null, "s3cret"));
        assertThat(parse("redis://app:s3cret@h:6379")).isEqualTo(new RedisAddress("h", 6379, 0, "app", "s3cret"));
        assertThat(parse("redis://:p%40ss%3Aword@h")).extracting(RedisAddress::password).isEqualTo("p@ss:word");
    }

    @Test
    void describeNeverShowsThePassword() {
        assertThat(parse("redis://:s3cret@h:6390/2").describe()).isEqualTo("redis://h:6390/2");
        assertThat(parse("redis://app:s3cret@h").describe()).isEqualTo("redis://app@h:6379/0");
        assertThat(parse("redis://app:s3cret@h").toString()).doesNotContain("s3cret");
        assertThat(parse("redis://[::1]:6390").describe()).isEqualTo("redis://[::1]:6390/0");
    }

    @Test
    void anIpv6LiteralReachesLettuceBare() {
        RedisAddress address = parse("redis://[::1]:6390/3");
        assertThat(address.host()).isEqualTo("::1");
        RedisURI uri = address.toRedisUri(Duration.ofSeconds(2));
        assertThat(uri.getHost()).isEqualTo("::1");
        assertThat(uri.getPort()).isEqualTo(6390);
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aBadUriSaysWhatIsWrongWithoutThePassword() {
        assertThatThrownBy(() -> parse("http://h:6379")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http://h:6379: the scheme must be redis (expected redis://[:PASSWORD@]HOST[:PORT][/DB])");
        assertThatThrownBy(() -> parse("redis:h")).hasMessageContaining("no host");
        assertThatThrownBy(() -> parse("redis:///0")).hasMessageContaining("no host");
        assertThatThrownBy(() -> parse("redis://h:99999")).hasMessageContaining("port 99999 is out of range");
        assertThatThrownBy(() -> parse("redis://h:6379/x")).hasMessageContaining("database number, not /x");
        assertThatThrownBy(() -> parse("redis://h:6379/1/2")).hasMessageContaining("database number");
        assertThatThrownBy(() -> parse("redis://h:6379?db=1")).hasMessageContaining("no query");
        assertThatThrownBy(() -> parse("redis://:s3cret@h:6379/x"))
                .hasMessageStartingWith("redis://:***@h:6379/x:")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("redis://app:s3cret@h_h:6379"))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theProviderServesTheRedisScheme() {
        assertThat(new RedisBackendProvider().scheme()).isEqualTo("redis");
        assertThat(ServiceLoader.load(StateBackendProvider.class).stream().map(found -> found.type().getName()))
                .contains(RedisBackendProvider.class.getName());
    }
}
