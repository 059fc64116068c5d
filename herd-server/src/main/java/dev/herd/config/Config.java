package dev.herd.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved configuration: one value for every setting, and where it came from. The master
 * resolves it once ({@link ConfigResolver}) and hands its text form to the workers
 * ({@link #toText}, {@link #fromText}); workers never resolve it again.
 */
public final class Config {

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, Source> sources;
    /** How a value was worked out, where it was not simply given ({@code --workers auto}). */
    private final Map<Setting<?>, String> notes;

    Config(Map<Setting<?>, Object> values, Map<Setting<?>, Source> sources) {
        this(values, sources, Map.of());
    }

    Config(Map<Setting<?>, Object> values, Map<Setting<?>, Source> sources, Map<Setting<?>, String> notes) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.notes = Map.copyOf(notes);
    }

    /** Every setting at its default. */
    public static Config defaults() {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, Source> sources = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.all()) {
            values.put(setting, setting.fallback());
            sources.put(setting, Source.DEFAULT);
        }
        return new Config(values, sources);
    }

    public <T> T get(Setting<T> setting) {
        return setting.cast(values.get(setting));
    }

    public Source source(Setting<?> setting) {
        return sources.get(setting);
    }

    /** How the value was worked out ("auto: 1.5 CPUs (cgroup ...), one worker per CPU"), or null. */
    public String note(Setting<?> setting) {
        return notes.get(setting);
    }

    public List<BindAddress> binds() {
        return get(Settings.BIND);
    }

    public Balance balance() {
        return get(Settings.BALANCE);
    }

    public int workers() {
        return get(Settings.WORKERS);
    }

    public WorkerClass workerClass() {
        return get(Settings.WORKER_CLASS);
    }

    public int threads() {
        return get(Settings.THREADS);
    }

    public int maxConcurrency() {
        return get(Settings.MAX_CONCURRENCY);
    }

    public VirtualScheduler virtualScheduler() {
        return get(Settings.VIRTUAL_SCHEDULER);
    }

    public int ioThreads() {
        return get(Settings.IO_THREADS);
    }

    public Duration timeout() {
        return get(Settings.TIMEOUT);
    }

    public Duration gracefulTimeout() {
        return get(Settings.GRACEFUL_TIMEOUT);
    }

    public Duration bootTimeout() {
        return get(Settings.BOOT_TIMEOUT);
    }

    public String appJar() {
        return get(Settings.APP_JAR);
    }

    public String app() {
        return get(Settings.APP);
    }

    public String logLevel() {
        return get(Settings.LOG_LEVEL);
    }

    public int backlog() {
        return get(Settings.BACKLOG);
    }

    public String pidFile() {
        return get(Settings.PID);
    }

    public int maxRequests() {
        return get(Settings.MAX_REQUESTS);
    }

    public int maxRequestsJitter() {
        return get(Settings.MAX_REQUESTS_JITTER);
    }

    public int maxHeapAfterGcMiB() {
        return get(Settings.MAX_HEAP_AFTER_GC);
    }

    public Duration requestTimeout() {
        return get(Settings.REQUEST_TIMEOUT);
    }

    public Duration keepAlive() {
        return get(Settings.KEEP_ALIVE);
    }

    public Duration readTimeout() {
        return get(Settings.READ_TIMEOUT);
    }

    public List<String> forwardedAllowIps() {
        return get(Settings.FORWARDED_ALLOW_IPS);
    }

    public String accessLog() {
        return get(Settings.ACCESS_LOG);
    }

    public String accessLogFormat() {
        return get(Settings.ACCESS_LOG_FORMAT);
    }

    public String errorLog() {
        return get(Settings.ERROR_LOG);
    }

    public String aotCache() {
        return get(Settings.AOT_CACHE);
    }

    public List<String> workerJvmOpts() {
        String opts = get(Settings.JVM_OPTS).trim();
        return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    /** A copy with {@code setting} replaced, keeping its source (the master fills in bound ports). */
    public <T> Config with(Setting<T> setting, T value) {
        Map<Setting<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(setting, value);
        return new Config(copy, sources, notes);
    }

    /** Every value as text, keyed by setting key: what the master sends to a worker. */
    public Map<String, String> toText() {
        Map<String, String> text = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.all()) {
            text.put(setting.key(), setting.format(values.get(setting)));
        }
        return text;
    }

    /** Reads {@link #toText}'s output back; unknown keys are an error, missing ones keep their default. */
    public static Config fromText(Map<String, String> text) throws InvalidSettingException {
        Map<Setting<?>, Object> values = new LinkedHashMap<>(defaults().values);
        Map<Setting<?>, Source> sources = new LinkedHashMap<>(defaults().sources);
        for (Map.Entry<String, String> entry : text.entrySet()) {
            Setting<?> setting = Settings.byKey(entry.getKey());
            if (setting == null) {
                throw new InvalidSettingException("unknown setting '" + entry.getKey() + "'");
            }
            values.put(setting, setting.parse(entry.getValue()));
        }
        return new Config(values, sources);
    }
}
