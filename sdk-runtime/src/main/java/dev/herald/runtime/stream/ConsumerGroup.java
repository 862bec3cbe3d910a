package dev.herald.runtime.stream;

import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.AutoClaimResult;
import org.redisson.api.stream.PendingEntry;
import org.redisson.api.stream.PendingResult;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamGroup;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One consumer of one consumer group on one stream: what a broker thread is on the inbox and a
 * worker is on its service's stream. Every stream command the two share is here, once.
 */
public final class ConsumerGroup {

    private final RedissonClient redisson;
    private final String streamKey;
    private final String group;
    private final String consumer;
    private final RStream<String, String> stream;
    private final java.util.function.Supplier<StreamMessageId> start;

    public ConsumerGroup(RedissonClient redisson, String streamKey, String group, String consumer) {
        this(redisson, streamKey, group, consumer, () -> StreamMessageId.ALL);
    }

    /**
     * {@code start}: where {@link #ensure()} starts the group if it has to create it, asked each
     * time (a group created again after its key was deleted starts from what is owed now).
     */
    public ConsumerGroup(RedissonClient redisson, String streamKey, String group, String consumer,
                         java.util.function.Supplier<StreamMessageId> start) {
        this.start = start;
        this.redisson = redisson;
        this.streamKey = streamKey;
        this.group = group;
        this.consumer = consumer;
        this.stream = redisson.getStream(streamKey, StringCodec.INSTANCE);
    }

    public String streamKey() {
        return streamKey;
    }

    public String group() {
        return group;
    }

    public String consumer() {
        return consumer;
    }

    /** This group's stream, for reads the group does not cover (sizes, ranges). */
    public RStream<String, String> stream() {
        return stream;
    }

    /** Creates the group (and the stream) if missing. */
    public void ensure() {
        ensure(redisson, streamKey, group, start.get());
    }

    /** Creates {@code group} on {@code streamKey} at the beginning of the stream, if missing. */
    public static void ensure(RedissonClient redisson, String streamKey, String group) {
        ensure(redisson, streamKey, group, StreamMessageId.ALL);
    }

    /**
     * Creates {@code group} on {@code streamKey} (and the stream) if missing, delivering what
     * comes after {@code start}; returns true if it created it.
     */
    public static boolean ensure(RedissonClient redisson, String streamKey, String group, StreamMessageId start) {
        RStream<String, String> stream = redisson.getStream(streamKey, StringCodec.INSTANCE);
        try {
            stream.createGroup(StreamCreateGroupArgs.name(group).id(start).makeStream());
            return true;
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                return false;
            }
            // Redis at maxmemory refuses XGROUP CREATE before it sees that the group exists: a
            // restart under memory pressure must still start when there is nothing to create
            // (asked by XPENDING, which a service's ACL user may run on its own group; listing groups it may not)
            if (e instanceof RedisOutOfMemoryException && stream.isExists() && groupExists(stream, group)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean groupExists(RStream<String, String> stream, String group) {
        try {
            stream.getPendingInfo(group);
            return true;
        } catch (RuntimeException e) {
            if (isNoGroup(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * How long a reader's blocking read waits, after {@code emptyReads} empty ones in a row: 500 ms
     * while traffic comes and goes, 1 s once the stream has been quiet for 5 s (an idle reader then
     * costs one command a second; a new entry still ends the wait at once, only closing a quiet
     * reader waits up to that long).
     */
    public static Duration blockFor(int emptyReads) {
        return emptyReads >= 10 ? Duration.ofSeconds(1) : Duration.ofMillis(500);
    }

    /** Whether {@code e} says the group (or its stream) is gone: someone deleted the key. */
    public static boolean isNoGroup(Throwable e) {
        return String.valueOf(e.getMessage()).contains("NOGROUP");
    }

    /**
     * Up to {@code count} entries never delivered to this group. {@code block} null: return at
     * once (after a full read more are likely waiting, and Redisson's completion of a blocking
     * command is costly); else wait that long for the first one.
     */
    public Map<StreamMessageId, Map<String, String>> readNew(int count, Duration block) {
        StreamReadGroupArgs args = StreamReadGroupArgs.neverDelivered().count(count);
        if (block == null) {
            return orEmpty(stream.readGroup(group, consumer, args));
        }
        // Redisson never fails a blocking command whose node went away (it re-attaches it until the
        // connection returns): after a failover the read would wait for ever. Bound it ourselves;
        // what a read we gave up on delivered is pending for this consumer and claimed back later.
        RFuture<Map<StreamMessageId, Map<String, String>>> read = blockingRead(count, block);
        try {
            return orEmpty(read.toCompletableFuture().get(block.toMillis() + BLOCKING_READ_GRACE_MS, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            read.cancel(true);
            throw new IllegalStateException("Redis did not answer a blocking read of " + streamKey + " within "
                    + (block.toMillis() + BLOCKING_READ_GRACE_MS) + " ms (a failover?); reading again");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            return new LinkedHashMap<>();
        }
    }

    /**
     * {@code XREADGROUP ... BLOCK}, sent as Redisson sends a read that does not block when it can
     * be. Redisson 4.7 completes every command it files as blocking with
     * {@code ServiceManager.isShuttingDown(null)}, which throws: a NullPointerException and a
     * CompletionException, each with its stack trace, on every blocking read (the JFR of an idle
     * worker: 2 exceptions a second per stream; at 1,000 events/s, 2,500). As a plain command its
     * reply waits up to the client's response timeout, which must then exceed the {@code BLOCK};
     * the read is bounded by {@link #readNew} either way. With another protocol than RESP2 (whose
     * reply Redisson decodes with another command) or a timeout too short, Redisson's own path.
     */
    private RFuture<Map<StreamMessageId, Map<String, String>>> blockingRead(int count, Duration block) {
        if (redisson instanceof org.redisson.Redisson r) {
            org.redisson.connection.ServiceManager service = r.getServiceManager();
            if (service.getCfg().getProtocol() == org.redisson.config.Protocol.RESP2
                    && service.getConfig().getTimeout() > block.toMillis() + 1_000) {
                String key = service.getConfig().getNameMapper().map(streamKey);
                return r.getCommandExecutor().writeAsync(key, StringCodec.INSTANCE, org.redisson.client.protocol.RedisCommands.XREADGROUP_SINGLE,
                        "GROUP", group, consumer, "COUNT", count, "BLOCK", block.toMillis(), "STREAMS", key, ">");
            }
        }
        return stream.readGroupAsync(group, consumer, StreamReadGroupArgs.neverDelivered().count(count).timeout(block));
    }

    /** How much longer than its {@code BLOCK} a blocking read may take before it is given up. */
    static final long BLOCKING_READ_GRACE_MS = 10_000;

    /** Up to {@code count} entries this consumer was delivered and has not acknowledged, oldest first. */
    public Map<StreamMessageId, Map<String, String>> readOwnPending(int count) {
        return orEmpty(stream.readGroup(group, consumer, StreamReadGroupArgs.greaterThan(new StreamMessageId(0, 0)).count(count)));
    }

    /** Entries claimed from consumers that held them longer than {@code idle}, with how often each was delivered. */
    public record Claimed(Map<StreamMessageId, Map<String, String>> entries, Map<StreamMessageId, Long> deliveries) {
        public boolean isEmpty() {
            return entries.isEmpty();
        }

        /** Deliveries of {@code id}, this one included. */
        public long deliveriesOf(StreamMessageId id) {
            return deliveries.getOrDefault(id, 1L);
        }
    }

    /**
     * Claims up to {@code count} entries idle for longer than {@code idle} ({@code XAUTOCLAIM}):
     * their consumer died or hangs. The claim counts a delivery; the counts come with the entries.
     */
    public Claimed claimIdle(Duration idle, int count) {
        AutoClaimResult<String, String> r = stream.autoClaim(group, consumer, idle.toMillis(), TimeUnit.MILLISECONDS,
                StreamMessageId.MIN, count);
        Map<StreamMessageId, Map<String, String>> entries = orEmpty(r.getMessages());
        return new Claimed(entries, entries.isEmpty() ? Map.of() : deliveryCounts(entries.keySet()));
    }

    /** How many times each of {@code ids} was delivered ({@code XPENDING}); ids no longer pending are absent. */
    public Map<StreamMessageId, Long> deliveryCounts(Collection<StreamMessageId> ids) {
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
        // one XPENDING over the range, this consumer's entries only (the ids were delivered to it)
        @SuppressWarnings("deprecation")
        List<PendingEntry> pending = stream.listPending(group, consumer, min, max, ids.size() * 2 + 64);
        for (PendingEntry p : pending) {
            if (ids.contains(p.getId())) {
                counts.put(p.getId(), p.getDeliveryCount());
            }
        }
        if (counts.size() < ids.size() && pending.size() >= ids.size() * 2 + 64) {
            // more of this consumer's entries in the range than one read returned: ask for the rest one by one,
            // so that no entry escapes the delivery limit by being counted as a first delivery
            for (StreamMessageId id : ids) {
                if (!counts.containsKey(id)) {
                    @SuppressWarnings("deprecation")
                    List<PendingEntry> one = stream.listPending(group, consumer, id, id, 1);
                    one.forEach(p -> counts.put(p.getId(), p.getDeliveryCount()));
                }
            }
        }
        return counts;
    }

    /** Acknowledges {@code ids} now. */
    public void ack(Collection<StreamMessageId> ids) {
        if (!ids.isEmpty()) {
            stream.ack(group, ids.toArray(new StreamMessageId[0]));
        }
    }

    /** Acknowledges {@code ids} in {@code pipeline}; its reply says whether Redis took it ({@code Replies.failure}). */
    public RFuture<Long> ackIn(RBatch pipeline, Collection<StreamMessageId> ids) {
        return pipeline.<String, String>getStream(streamKey, StringCodec.INSTANCE).ackAsync(group, ids.toArray(new StreamMessageId[0]));
    }

    /**
     * Renews this consumer's lease on {@code ids}: resets their idle time ({@code XCLAIM … JUSTID}
     * to itself, which counts no delivery), so that no other consumer claims back an entry whose
     * work is still running.
     */
    public void renew(Collection<StreamMessageId> ids) {
        if (!ids.isEmpty()) {
            stream.fastClaim(group, consumer, 0, TimeUnit.MILLISECONDS, ids.toArray(new StreamMessageId[0]));
        }
    }

    /**
     * Removes the entries this group has acknowledged: everything before min(oldest pending, last
     * delivered + 1). The group's last-delivered id is read before the pending summary, so an entry
     * delivered in between is never removed. Returns how many were removed.
     */
    public long trimAcknowledged() {
        StreamMessageId lastDelivered = null;
        for (StreamGroup g : stream.listGroups()) {
            if (g.getName().equals(group)) {
                lastDelivered = g.getLastDeliveredId();
            }
        }
        if (lastDelivered == null) {
            return 0;
        }
        PendingResult pending = stream.getPendingInfo(group);
        StreamMessageId bound = new StreamMessageId(lastDelivered.getId0(), lastDelivered.getId1() + 1);
        if (pending != null && pending.getTotal() > 0 && pending.getLowestId() != null) {
            StreamMessageId low = pending.getLowestId();
            if (compare(low, bound) < 0) {
                bound = low;
            }
        }
        return stream.trim(StreamTrimArgs.minId(bound).noLimit());
    }

    private static Map<StreamMessageId, Map<String, String>> orEmpty(Map<StreamMessageId, Map<String, String>> m) {
        return m == null ? new LinkedHashMap<>() : m;
    }

    static int compare(StreamMessageId a, StreamMessageId b) {
        int c = Long.compareUnsigned(a.getId0(), b.getId0());
        return c != 0 ? c : Long.compareUnsigned(a.getId1(), b.getId1());
    }
}
