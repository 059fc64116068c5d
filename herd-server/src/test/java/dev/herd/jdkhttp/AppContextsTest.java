package dev.herd.jdkhttp;

import com.sun.net.httpserver.HttpHandler;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppContextsTest {

    private final HttpHandler handler = exchange -> { };

    @Test
    void theLongestMatchingPathWinsAsInTheJdksServer() {
        AppContexts contexts = new AppContexts(new InetSocketAddress("127.0.0.1", 8000));
        HerdHttpServer server = contexts.newServer(null);
        server.createContext("/", handler);
        server.createContext("/api", handler);
        server.createContext("/api/admin", handler);
        assertThat(contexts.find("/").getPath()).isEqualTo("/");
        assertThat(contexts.find("/index.html").getPath()).isEqualTo("/");
        assertThat(contexts.find("/api/users").getPath()).isEqualTo("/api");
        // A plain prefix match, as the JDK's: /apix belongs to /api too.
        assertThat(contexts.find("/apix").getPath()).isEqualTo("/api");
        assertThat(contexts.find("/api/admin/x").getPath()).isEqualTo("/api/admin");
        server.removeContext("/");
        assertThat(contexts.find("/index.html")).isNull();
    }

    @Test
    void duplicatesAndBadPathsAreRefusedAsTheJdkRefusesThem() {
        AppContexts contexts = new AppContexts(null);
        HerdHttpServer server = contexts.newServer(new InetSocketAddress(9999));
        server.createContext("/a", handler);
        assertThatThrownBy(() -> server.createContext("/a", handler)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.createContext("a", handler)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.removeContext("/b")).isInstanceOf(IllegalArgumentException.class);
        // Without a TCP listener the server reports the address the app asked for.
        assertThat(server.getAddress()).isEqualTo(new InetSocketAddress(9999));
        assertThat(contexts.whenStarted()).isNotDone();
        server.start();
        assertThat(contexts.whenStarted()).isCompletedWithValue(server);
    }
}
