package dev.herd.systemd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells a service manager (systemd's {@code Type=notify}) where the master is, per sd_notify(3):
 * {@code READY=1} once the first generation serves, {@code RELOADING=1} with the monotonic clock
 * when a reload starts and {@code READY=1} when it ends, {@code STOPPING=1} on a stop, a
 * {@code STATUS=} line about every second, {@code EXTEND_TIMEOUT_USEC=} while a slow first boot
 * is still within {@code --boot-timeout}, and {@code WATCHDOG=1} at half {@code $WATCHDOG_USEC}.
 *
 * <p>Everything is sent from the master's loop thread ({@link #tick} is one of the loop's steps):
 * a loop that is stuck stops the watchdog pings, which is what the watchdog is for; a ping from a
 * thread of its own would go on while the master no longer supervises anything. Without
 * {@code $NOTIFY_SOCKET} every method does nothing.
 */
public final class ServiceNotifier implements AutoCloseable {

    static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";
    static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    static final String WATCHDOG_PID = "WATCHDOG_PID";

    private static final Logger log = LoggerFactory.getLogger(ServiceNotifier.class);
    private static final long STATUS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Beyond the boot deadline: the master needs a moment to notice the timeout and say so. */
    private static final long EXTEND_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final NotifySocket socket;
    /** Half the watchdog interval, as sd_watchdog_enabled(3) advises; 0 without a watchdog. */
    private final long watchdogEveryNanos;
    private long lastWatchdogNanos;
    private long lastStatusNanos;
    private boolean failing;

    private ServiceNotifier(NotifySocket socket, long watchdogEveryNanos) {
        this.socket = socket;
        this.watchdogEveryNanos = watchdogEveryNanos;
    }

    /** The notifier {@code env} asks for, for process {@code pid}; a silent one without $NOTIFY_SOCKET. */
    public static ServiceNotifier fromEnvironment(Map<String, String> env, long pid) {
        String address = env.get(NOTIFY_SOCKET);
        if (address == null || address.isBlank()) {
            return new ServiceNotifier(null, 0);
        }
        long watchdog = 0;
        String usec = env.get(WATCHDOG_USEC);
        String watchdogPid = env.get(WATCHDOG_PID);
        if (usec != null && !usec.isBlank() && (watchdogPid == null || watchdogPid.trim().equals(Long.toString(pid)))) {
            try {
                watchdog = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(usec.trim())) / 2;
            } catch (NumberFormatException e) {
                log.warn("${} is not a number ('{}'): no watchdog pings", WATCHDOG_USEC, usec);
            }
        }
        log.info("notifying the service manager at {}{}", address,
                watchdog > 0 ? ", watchdog every " + TimeUnit.NANOSECONDS.toMillis(watchdog) + " ms" : "");
        return new ServiceNotifier(new NotifySocket(address), watchdog);
    }

    /** The first generation serves. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    /** A reload starts; systemd needs the monotonic clock now to tell this reload from an older one. */
    public void reloading(String status) {
        // System.nanoTime is CLOCK_MONOTONIC on Linux, the clock systemd compares with.
        send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()) + "\nSTATUS=" + status);
    }

    /** A reload ended, by serving the new generation or keeping the old one: {@code status} says which. */
    public void reloadEnded(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    public void status(String status) {
        send("STATUS=" + status);
    }

    /**
     * One step of the master's loop: the watchdog ping when due, the status about every second,
     * and while the first generation boots, more start-up time up to {@code bootDeadlineNanos}
     * (0 when nothing boots for the first time).
     */
    public void tick(long nowNanos, Supplier<String> status, long bootDeadlineNanos) {
        if (socket == null) {
            return;
        }
        if (watchdogEveryNanos > 0 && nowNanos - lastWatchdogNanos >= watchdogEveryNanos) {
            lastWatchdogNanos = nowNanos;
            send("WATCHDOG=1");
        }
        if (nowNanos - lastStatusNanos >= STATUS_EVERY_NANOS) {
            lastStatusNanos = nowNanos;
            String message = "STATUS=" + status.get();
            if (bootDeadlineNanos != 0 && bootDeadlineNanos - nowNanos > 0) {
                message += "\nEXTEND_TIMEOUT_USEC="
                        + TimeUnit.NANOSECONDS.toMicros(bootDeadlineNanos - nowNanos + EXTEND_MARGIN_NANOS);
            }
            send(message);
        }
    }

    private void send(String message) {
        if (socket == null) {
            return;
        }
        try {
            socket.send(message);
            if (failing) {
                failing = false;
                log.info("the service manager's notify socket takes messages again");
            }
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                log.warn("cannot notify the service manager ({}); going on without it", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
