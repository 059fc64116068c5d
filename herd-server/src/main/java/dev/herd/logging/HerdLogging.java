package dev.herd.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * herd's own SLF4J backend, found by the service loader in every herd process. herd needs one
 * line shape, a level, and a file or stderr; Logback did that and cost each worker JVM about
 * 100 ms of its boot (measured: 94-135 ms to the first logger, mostly class loading and
 * configuration), which every worker paid at every spawn. The level comes from
 * {@code herd.log.level} (default info); Netty's and Jetty's own loggers log warnings and errors only.
 */
public final class HerdLogging implements SLF4JServiceProvider {

    /** The process's output once SLF4J has initialised this backend, for {@link #reopen}. */
    private static volatile LogOutput current;

    private ILoggerFactory loggers;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private LogOutput output;

    @Override
    public void initialize() {
        output = LogOutput.fromSystemProperties();
        current = output;
        Level level = parse(System.getProperty("herd.log.level", "info"));
        Level quiet = level.toInt() > Level.WARN.toInt() ? level : Level.WARN;
        // Lettuce warns every 5 s per connection while Redis is down; herd-redis says it once.
        Level silent = level.toInt() > Level.ERROR.toInt() ? level : Level.ERROR;
        // Jetty's warnings about a client's malformed request, which herd's own HTTP logs at debug.
        Level clientFaults = level.toInt() <= Level.DEBUG.toInt() ? level : Level.ERROR;
        ConcurrentMap<String, HerdLogger> byName = new ConcurrentHashMap<>();
        loggers = name -> byName.computeIfAbsent(name, n -> new HerdLogger(n,
                isRedisClient(n) ? silent : isClientFaults(n) ? clientFaults : isEngine(n) ? quiet : level, output));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    /** Reopens the log file (after logrotate moved it); nothing to do when logging to stderr. */
    public static void reopen() {
        LogOutput output = current;
        if (output != null) {
            output.reopen();
        }
    }

    /**
     * Netty's and Jetty's loggers, which log warnings and errors only unless herd's level is
     * debug or trace: their start and stop lines repeat what herd says about its workers.
     */
    private static boolean isEngine(String name) {
        return name.startsWith("io.netty") || name.startsWith("org.eclipse.jetty");
    }

    /**
     * Jetty's HTTP parser and its host-and-port parser warn about each malformed request they
     * refuse with a 4xx ("Encountered multiple `Host` headers", "Bad IPv6 host"), quoting the
     * client's bytes: any client could fill the log with them. The client got its 4xx; like
     * herd's own refusals, they are logged at debug.
     */
    private static boolean isClientFaults(String name) {
        return name.equals("org.eclipse.jetty.http.HttpParser") || name.equals("org.eclipse.jetty.util.HostPort");
    }

    private static boolean isRedisClient(String name) {
        return name.startsWith("io.lettuce") || name.startsWith("reactor");
    }

    static Level parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn", "warning" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}
