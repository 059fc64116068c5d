package dev.herd.worker;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides when this worker should ask to be replaced: after {@code --max-requests} (plus its
 * own random jitter, so workers do not all retire together), or when its live heap after full
 * collections stays above {@code --max-heap-after-gc}. It only decides; the heartbeat tells the
 * master, which boots a successor before draining this worker.
 */
final class Recycler {

    private static final Logger log = LoggerFactory.getLogger(Recycler.class);
    /** Full collections in a row above the limit before retiring: one can be a transient peak. */
    private static final int HEAP_STRIKES = 2;

    private final long requestLimit;
    private final long heapLimitBytes;
    /** The after-GC figures cover every memory pool; only heap pools hold the app's data. */
    private final Set<String> heapPools = new HashSet<>();
    private volatile String reason;
    private boolean announced;
    private int heapStrikes;

    Recycler(int maxRequests, int jitter, int maxHeapAfterGcMiB) {
        this.requestLimit = maxRequests == 0 ? 0 : maxRequests + ThreadLocalRandom.current().nextInt(jitter + 1);
        this.heapLimitBytes = (long) maxHeapAfterGcMiB * 1024 * 1024;
        if (heapLimitBytes > 0) {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            watchFullCollections();
        }
    }

    /** The reason to retire, once, when there is one; else {@code null}. Heartbeat thread only. */
    String retireReason(long requestsServed) {
        if (announced) {
            return null;
        }
        if (requestLimit > 0 && requestsServed >= requestLimit) {
            reason = "served " + requestsServed + " requests, limit " + requestLimit;
        }
        String why = reason;
        if (why != null) {
            announced = true;
        }
        return why;
    }

    private void watchFullCollections() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                        afterCollection(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                    }
                }, null, null);
            }
        }
    }

    /** Runs on the JVM's notification thread after each collection. */
    private synchronized void afterCollection(GarbageCollectionNotificationInfo info) {
        if (!info.getGcAction().contains("major")) {
            return;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        if (used > heapLimitBytes) {
            heapStrikes++;
            log.debug("live heap after a full collection: {} MiB (limit {} MiB, strike {})",
                    used >> 20, heapLimitBytes >> 20, heapStrikes);
            if (heapStrikes >= HEAP_STRIKES && reason == null) {
                reason = "live heap " + (used >> 20) + " MiB after full collections, limit " + (heapLimitBytes >> 20) + " MiB";
            }
        } else {
            heapStrikes = 0;
        }
    }
}
