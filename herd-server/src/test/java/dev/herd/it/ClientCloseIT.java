package dev.herd.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that end their side of a connection: one that half-closes right after its request
 * (as {@code nc -N} and many scripts do) still gets the answer, in every execution model and
 * whether the worker accepted the connection or the master handed it over; and under
 * least-busy, where the master holds a copy of every connection until its worker takes it, a
 * long run of short connections never has a request swallowed on the way.
 */
class ClientCloseIT {

    private static final int ATTEMPTS = 20;

    @ParameterizedTest(name = "{0}, --balance {1}")
    @CsvSource({"sync, shared", "sync, least-busy", "threads, least-busy", "virtual, least-busy",
        "async, least-busy", "async, shared"})
    void aRequestFollowedByAHalfCloseIsAnswered(String model, String balance) throws Exception {
        try (HerdProcess herd = HerdProcess.start("-w", "1", "-k", model, "--balance", balance)) {
            for (int i = 0; i < ATTEMPTS; i++) {
                // /hello is answered on the spot by async; /io makes every model answer later,
                // after the worker has already seen the end of the input.
                String path = i % 2 == 0 ? "/hello" : "/io?ms=20";
                try (Socket socket = new Socket("127.0.0.1", herd.port())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    socket.shutdownOutput();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    KeepAliveLoad.Response response = KeepAliveLoad.read(in);
                    assertThat(response.status()).as("attempt %d, %s", i, path).isEqualTo(200);
                    // The answer says Connection: close unless it was written before the end of
                    // the input was read (async answers /hello at once); either way the server closes.
                    assertThat(in.read()).as("then the server closes").isEqualTo(-1);
                }
            }
        }
    }

    /**
     * 3,000 connections one after another, each with one request and Connection: close, so the
     * master accepts, hands over and closes its copy thousands of times while clients close
     * theirs: every request is answered within 5 s. (The master once registered its copies for
     * events; a half-close event still queued for a copy it had just closed went to the next
     * connection accepted on the same descriptor number, and the master read that connection's
     * request: about one in 2,000 got no answer.)
     */
    @ParameterizedTest(name = "--balance {0}")
    @CsvSource({"least-busy", "shared"})
    void shortConnectionsInARowAreAllAnswered(String balance) throws Exception {
        byte[] request = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        try (HerdProcess herd = HerdProcess.start("-w", "2", "-k", "async", "--balance", balance)) {
            for (int i = 0; i < 3_000; i++) {
                try (Socket socket = new Socket("127.0.0.1", herd.port())) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write(request);
                    KeepAliveLoad.Response response;
                    try {
                        response = KeepAliveLoad.read(new BufferedInputStream(socket.getInputStream()));
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("connection " + i + " got no answer within 5 s", e);
                    } catch (IOException e) {
                        throw new AssertionError("connection " + i + ": " + e.getMessage(), e);
                    }
                    assertThat(response.status()).as("connection %d", i).isEqualTo(200);
                }
            }
        }
    }
}
