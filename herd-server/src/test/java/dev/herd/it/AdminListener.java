package dev.herd.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A herd master's admin listener, as a scraper or a probe reaches it. */
final class AdminListener {

    private static final Pattern ADDRESS = Pattern.compile("admin listener on http://([0-9.:\\[\\]]+)/");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    private AdminListener(String address, String token) {
        this.base = "http://" + address;
        this.token = token;
    }

    /** The listener herd announced in its log. */
    static AdminListener of(HerdProcess herd, String token) throws InterruptedException {
        Matcher announced = herd.awaitLog(ADDRESS, Duration.ofSeconds(5));
        return new AdminListener(announced.group(1), token);
    }

    String address() {
        return base.substring("http://".length());
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * The sum of every sample of {@code name} whose labels contain each of {@code labels} (as
     * {@code key="value"}), in an exposition.
     */
    static double sum(String exposition, String name, String... labels) {
        double total = 0;
        for (String line : exposition.lines().toList()) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
