package dev.herald.runtime;

import org.redisson.api.RStream;
import org.redisson.api.stream.PendingEntry;
import org.redisson.api.stream.StreamMessageId;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How many times each pending entry of a consumer group was delivered ({@code XPENDING}), for the
 * delivery limit of brokers and workers: every read of a pending entry (claimed back from a dead or
 * hung consumer, or read again after a refused write) raises it, whereas a handler that crashes its
 * process never gets to count an attempt itself.
 */
public final class DeliveryCounts {

    /** The reason of a dead letter written because an entry reached the limit. */
    public static final String REASON = "delivery-limit";

    private DeliveryCounts() {
    }

    /** {@code n} as a delivery limit, or a clear refusal. */
    public static int checkedMax(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("max deliveries must be >= 1, got " + n);
        }
        return n;
    }

    /** Delivery counts of {@code ids} (those no longer pending are absent). */
    public static Map<StreamMessageId, Long> read(RStream<?, ?> stream, String group, Collection<StreamMessageId> ids) {
        StreamMessageId min = null;
        StreamMessageId max = null;
        for (StreamMessageId id : ids) {
            if (min == null || compare(id, min) < 0) {
                min = id;
            }
            if (max == null || compare(id, max) > 0) {
                max = id;
            }
        }
        Map<StreamMessageId, Long> counts = new HashMap<>();
        if (min == null) {
            return counts;
        }
        // one XPENDING over the range; other consumers' entries inside it are skipped
        @SuppressWarnings("deprecation")
        java.util.List<PendingEntry> pending = stream.listPending(group, min, max, ids.size() * 4 + 16);
        for (PendingEntry p : pending) {
            if (ids.contains(p.getId())) {
                counts.put(p.getId(), p.getDeliveryCount());
            }
        }
        return counts;
    }

    private static int compare(StreamMessageId a, StreamMessageId b) {
        int c = Long.compareUnsigned(a.getId0(), b.getId0());
        return c != 0 ? c : Long.compareUnsigned(a.getId1(), b.getId1());
    }
}
