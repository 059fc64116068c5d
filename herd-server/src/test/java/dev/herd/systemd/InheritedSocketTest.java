package dev.herd.systemd;

import dev.herd.config.BindAddress;
import dev.herd.config.Config;
import dev.herd.config.ConfigResolver;
import dev.herd.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InheritedSocketTest {

    private static final InheritedSocket WEB = new InheritedSocket(3, "web", new BindAddress("127.0.0.1", 8000));
    private static final InheritedSocket ANY = new InheritedSocket(4, "", new BindAddress("::", 9000));
    private static final InheritedSocket UNIX = new InheritedSocket(5, "api", BindAddress.unix("/run/herd.sock"));

    @Test
    void aBindMatchesByNameOrByAddress() {
        assertThat(WEB.matches(BindAddress.parse("fd:web"))).isTrue();
        assertThat(WEB.matches(BindAddress.parse("fd:api"))).isFalse();
        assertThat(WEB.matches(BindAddress.parse("127.0.0.1:8000"))).isTrue();
        assertThat(WEB.matches(BindAddress.parse("127.0.0.1:8001"))).isFalse();
        assertThat(ANY.matches(BindAddress.parse(":9000"))).as("0.0.0.0 and :: both mean every interface").isTrue();
        assertThat(ANY.matches(BindAddress.parse("127.0.0.1:9000"))).isFalse();
        assertThat(UNIX.matches(BindAddress.parse("unix:/run/herd.sock"))).isTrue();
        assertThat(UNIX.matches(BindAddress.parse("127.0.0.1:8000"))).isFalse();
    }

    @Test
    void withoutBindEveryInheritedSocketIsServed() throws Exception {
        Config config = ConfigResolver.resolve(Map.of(), Map.of());
        assertThat(SocketActivation.bindsFor(config, List.of(WEB, UNIX)).binds())
                .containsExactly(WEB.address(), UNIX.address());
    }

    @Test
    void withBindEveryInheritedSocketMustBeAskedFor() throws Exception {
        Config both = ConfigResolver.resolve(Map.of(), Map.of(Settings.BIND, List.of("fd:web", "unix:/run/herd.sock",
                "127.0.0.1:7000")));
        assertThat(SocketActivation.bindsFor(both, List.of(WEB, UNIX)).binds()).hasSize(3);
        Config one = ConfigResolver.resolve(Map.of(), Map.of(Settings.BIND, List.of("fd:web")));
        assertThatThrownBy(() -> SocketActivation.bindsFor(one, List.of(WEB, UNIX)))
                .hasMessageContaining("fd 5 (api) on unix:/run/herd.sock, which no --bind asks for");
        Config unknown = ConfigResolver.resolve(Map.of(), Map.of(Settings.BIND, List.of("fd:nope")));
        assertThatThrownBy(() -> SocketActivation.bindsFor(unknown, List.of(WEB)))
                .hasMessageContaining("--bind fd:nope: no inherited socket has that name");
        assertThatThrownBy(() -> SocketActivation.bindsFor(unknown, List.of()))
                .hasMessageContaining("no socket was passed by a service manager");
    }

    @Test
    void listenVariablesForAnotherProcessAreNotOurs() throws Exception {
        assertThat(SocketActivation.inherited(Map.of("LISTEN_PID", "1", "LISTEN_FDS", "2"), 4242)).isEmpty();
        assertThat(SocketActivation.inherited(Map.of(), 4242)).isEmpty();
        assertThatThrownBy(() -> SocketActivation.inherited(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "x"), 4242))
                .hasMessageContaining("$LISTEN_FDS is not a number");
    }
}
