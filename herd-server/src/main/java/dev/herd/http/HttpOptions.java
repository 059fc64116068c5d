package dev.herd.http;

import dev.herd.config.WsCompression;
import dev.herd.http.ws.OriginPolicy;
import dev.herd.http.ws.WebSocketSettings;
import dev.herd.config.Config;
import dev.herd.config.Settings;
import dev.herd.config.StaticDotfiles;
import dev.herd.http.files.StaticFolder;
import dev.herd.http.files.StaticMount;

import java.time.Duration;
import java.util.List;

/**
 * Everything about HTTP that a worker's configuration decides: limits on what a client may
 * send, the connection timeouts, which proxies are believed, and the access log. Built once per
 * worker from the resolved {@link Config}; immutable.
 *
 * @param limits            requests past these get 4xx and their connection closed
 * @param timeouts          how long a connection may idle, send a request, or wait for the app
 * @param forwardedAllowIps peers whose forwarding headers are believed (IPs, {@code unix}, {@code *})
 * @param accessLog         access log path, {@code -} for standard output, empty for none
 * @param accessLogFormat   access log line in Gunicorn's syntax
 * @param staticFolders     folders served without the app ({@code --static}), tried in order
 * @param webSockets        how WebSockets are kept ({@code --ws-*})
 * @param maxQueue          most requests waiting for the app at once ({@code --max-queue}); 0: no limit
 * @param queueTimeout      longest a request waits for the app ({@code --queue-timeout}); zero: no limit
 * @param metrics           whether requests are recorded in the metrics ({@code --metrics})
 */
public record HttpOptions(Limits limits, Timeouts timeouts, List<String> forwardedAllowIps, String accessLog,
                          String accessLogFormat, List<StaticFolder> staticFolders,
                          WebSocketSettings webSockets, int maxQueue, Duration queueTimeout,
                          boolean metrics) {

    /**
     * @param maxRequestLine     longest request line in bytes (414 past it)
     * @param maxHeaderFields    most header fields (431 past it)
     * @param maxHeaderFieldSize largest header field, name and value, in bytes (431 past it)
     * @param maxBodyBytes       largest body in bytes (413 past it)
     * @param bodyBufferBytes    bodies up to this size are read whole before the app runs; larger ones stream
     */
    public record Limits(int maxRequestLine, int maxHeaderFields, int maxHeaderFieldSize, int maxBodyBytes,
                         int bodyBufferBytes) {

        /**
         * The most bytes of header lines the decoder buffers. Any block longer than this has too
         * many fields or one too large, so a 431 is right either way; it bounds memory before the
         * per-field checks run on the complete block.
         */
        int maxHeaderBlock() {
            long block = (long) maxHeaderFields * (maxHeaderFieldSize + 4L);
            return (int) Math.min(Integer.MAX_VALUE - 1, block);
        }
    }

    /**
     * @param keepAlive      an idle keep-alive connection closes after this; zero: no keep-alive
     * @param read           a started request must be complete within this, else 408
     * @param request        the app must answer (its header) within this, else 503; zero: no limit
     * @param write          a client that takes nothing of its response for this long is cut off; zero: never
     * @param eventHeartbeat an event stream quiet for this long gets a comment; zero: none
     */
    public record Timeouts(Duration keepAlive, Duration read, Duration request, Duration write,
                           Duration eventHeartbeat) {

        /**
         * How long a connection may stay idle once the worker drains. Not zero even without
         * keep-alive: a connection accepted just before the drain still gets a moment to send
         * its first request.
         */
        Duration drainIdle() {
            Duration oneSecond = Duration.ofSeconds(1);
            return keepAlive.isZero() || keepAlive.compareTo(oneSecond) > 0 ? oneSecond : keepAlive;
        }
    }

    public HttpOptions {
        forwardedAllowIps = List.copyOf(forwardedAllowIps);
        staticFolders = List.copyOf(staticFolders);
    }

    /** The options {@code config} sets. */
    public static HttpOptions from(Config config) {
        Limits limits = new Limits(config.get(Settings.LIMIT_REQUEST_LINE), config.get(Settings.LIMIT_REQUEST_FIELDS),
                config.get(Settings.LIMIT_REQUEST_FIELD_SIZE), config.get(Settings.LIMIT_REQUEST_BODY),
                config.get(Settings.BODY_BUFFER));
        Timeouts timeouts = new Timeouts(config.keepAlive(), config.readTimeout(), config.requestTimeout(),
                config.get(Settings.WRITE_TIMEOUT), config.get(Settings.SSE_HEARTBEAT));
        String index = config.get(Settings.STATIC_INDEX);
        boolean dotfiles = config.get(Settings.STATIC_DOTFILES) == StaticDotfiles.ALLOW;
        List<StaticFolder> folders = config.get(Settings.STATIC).stream()
                .map(mount -> new StaticFolder(StaticMount.parse(mount), dotfiles, index.isEmpty() ? null : index))
                .toList();
        WebSocketSettings webSockets = new WebSocketSettings(config.get(Settings.WS_PING_INTERVAL),
                config.get(Settings.WS_IDLE_TIMEOUT), config.get(Settings.WS_MAX_MESSAGE),
                config.get(Settings.WS_COMPRESSION) == WsCompression.DEFLATE,
                OriginPolicy.of(config.get(Settings.WS_ORIGINS)), config.get(Settings.WRITE_TIMEOUT));
        return new HttpOptions(limits, timeouts, config.forwardedAllowIps(), config.accessLog(),
                config.accessLogFormat(), folders, webSockets, config.get(Settings.MAX_QUEUE),
                config.get(Settings.QUEUE_TIMEOUT), config.get(Settings.METRICS));
    }
}
