package dev.herd.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One keep-alive HTTP/1.1 connection, and so one worker: the tests of shared state need to know
 * which worker answers. Under {@code --balance least-busy} a connection opened while another is
 * held goes to the other worker. Requests carry a cookie when one was set.
 */
final class WorkerConnection implements AutoCloseable {

    record Reply(int status, List<String> setCookies, String body) {
    }

    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private String cookie;
    private String extraHeader;

    WorkerConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Two connections held open at once: under least-busy, one per worker (checked by their pids). */
    static WorkerConnection[] onBothWorkers(int port) throws IOException {
        WorkerConnection first = new WorkerConnection(port);
        long firstPid = first.workerPid();
        WorkerConnection second = new WorkerConnection(port);
        long secondPid = second.workerPid();
        if (secondPid == firstPid) {
            first.close();
            second.close();
            throw new AssertionError("two connections held open reached one worker (pid " + firstPid + ")");
        }
        return new WorkerConnection[]{first, second};
    }

    /** Sends requests with this cookie (name=value) from now on. */
    WorkerConnection cookie(String cookie) {
        this.cookie = cookie;
        return this;
    }

    /** Sends this header line (e.g. {@code X-Forwarded-Proto: https}) with every request from now on. */
    WorkerConnection header(String line) {
        this.extraHeader = line;
        return this;
    }

    Optional<String> cookie() {
        return Optional.ofNullable(cookie);
    }

    /** The pid of the worker at the other end. */
    long workerPid() throws IOException {
        Matcher m = PID.matcher(request("GET", "/whoami", null).body());
        if (!m.find()) {
            throw new IOException("no pid in /whoami");
        }
        return Long.parseLong(m.group(1));
    }

    Reply get(String target) throws IOException {
        return request("GET", target, null);
    }

    /** Sends one request and reads its answer; a Set-Cookie becomes this connection's cookie. */
    Reply request(String method, String target, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (cookie != null) {
            head.append("Cookie: ").append(cookie).append("\r\n");
        }
        if (extraHeader != null) {
            head.append(extraHeader).append("\r\n");
        }
        if (body != null || method.equals("POST") || method.equals("PUT")) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("the connection closed before a response");
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = 0;
        List<String> setCookies = new ArrayList<>();
        String header;
        while (!(header = line()).isEmpty()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("set-cookie")) {
                setCookies.add(value);
                String pair = value.split(";")[0];
                cookie = value.contains("Max-Age=0") ? null : pair;
            }
        }
        byte[] body = in.readNBytes(length);
        return new Reply(code, setCookies, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
