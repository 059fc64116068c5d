package dev.herd.bench.peers;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerResponse;

/**
 * Helidon SE 4: a virtual thread per connection, so handlers may block; /io sleeps. THREADS sets
 * the virtual thread scheduler's carriers (jdk.virtualThreadScheduler.parallelism), which must
 * be set before the first virtual thread starts, hence here in main.
 */
public final class HelidonPeer {

    public static void main(String[] args) {
        PeerArgs peer = PeerArgs.parse("helidon", args);
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(peer.threads()));
        WebServer.builder()
                .host("127.0.0.1")
                .port(peer.port())
                .routing(routing -> routing
                        .get("/hello", (req, res) -> text(res, "Hello, World!"))
                        .get("/cpu", (req, res) -> text(res, "burned " + CpuWork.burn() + "\n"))
                        .get("/io", (req, res) -> {
                            Thread.sleep(10);
                            text(res, "waited 10 ms\n");
                        }))
                .build()
                .start();
        peer.ready("helidon");
    }

    private static void text(ServerResponse response, String body) {
        response.header("Content-Type", "text/plain").send(body);
    }
}
