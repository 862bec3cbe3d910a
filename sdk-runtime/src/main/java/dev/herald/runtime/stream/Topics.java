package dev.herald.runtime.stream;

import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Replies;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RStream;
import org.redisson.api.RStreamAsync;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.PendingResult;
import org.redisson.api.stream.StreamGroup;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topics: one stream per event type, fanned out by consumer groups (one per listening
 * service) instead of copies. Every stream command on a topic that is not one consumer's read or
 * acknowledgement is here: creating a service's group, the set of known topics, trimming to what
 * every group has acknowledged, and handing what an unwanted group still holds to its service.
 */
public final class Topics {

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public Topics(RedissonClient redisson, RedisKeys keys) {
        this.redisson = redisson;
        this.keys = keys;
    }

    /**
     * Creates {@code group} (a service's, {@link RedisKeys#topicGroup(String, String)}) on the
     * topic of {@code eventType} if missing, starting after {@code start} ({@code null}: after the
     * newest entry, so it gets what is sent from now on). Returns true if it created the group.
     */
    public boolean ensureGroup(String eventType, String group, StreamMessageId start) {
        return ConsumerGroup.ensure(redisson, keys.topic(eventType), group,
                start == null ? StreamMessageId.NEWEST : start);
    }

    /** Records that {@code eventTypes} have topics, so that brokers look after them (groups, trimming). */
    public void announce(RBatch batch, Set<String> eventTypes) {
        batch.<String>getSet(keys.topics(), StringCodec.INSTANCE).addAllAsync(eventTypes);
    }

    /** Every announced event type. */
    public Set<String> announced() {
        return redisson.<String>getSet(keys.topics(), StringCodec.INSTANCE).readAll();
    }

    /** The groups on the topic of {@code eventType} (each a service's: {@link RedisKeys#groupService}). */
    public List<String> groups(String eventType) {
        RStream<String, String> topic = stream(eventType);
        if (!topic.isExists()) {
            return List.of();
        }
        return topic.listGroups().stream().map(StreamGroup::getName).toList();
    }

    /**
     * The oldest entry some group of the topic still needs: for each group, the older of its
     * oldest pending entry and the one after its last delivered (read in that order, so an entry
     * delivered in between is never passed). No group: after the newest entry. Null: no topic.
     */
    public StreamMessageId keepFrom(String eventType) {
        RStream<String, String> topic = stream(eventType);
        if (!topic.isExists()) {
            return null;
        }
        StreamMessageId last = topic.getInfo().getLastGeneratedId();
        StreamMessageId bound = last == null ? null : next(last);
        for (StreamGroup g : topic.listGroups()) {
            StreamMessageId groupBound = next(g.getLastDeliveredId());
            PendingResult pending = topic.getPendingInfo(g.getName());
            if (pending != null && pending.getTotal() > 0 && pending.getLowestId() != null
                    && ConsumerGroup.compare(pending.getLowestId(), groupBound) < 0) {
                groupBound = pending.getLowestId();
            }
            if (bound == null || ConsumerGroup.compare(groupBound, bound) < 0) {
                bound = groupBound;
            }
        }
        return bound;
    }

    /**
     * The event ids waiting for {@code group} on the topic of {@code eventType}, oldest first:
     * delivered to a worker and not acknowledged, then never delivered; up to {@code max} of the
     * latter. Empty if there is no such group.
     */
    public List<String> waiting(String eventType, String group, int max) {
        RStream<String, String> topic = stream(eventType);
        if (!topic.isExists()) {
            return List.of();
        }
        StreamGroup g = topic.listGroups().stream().filter(x -> x.getName().equals(group)).findFirst().orElse(null);
        if (g == null) {
            return List.of();
        }
        List<StreamMessageId> ids = new ArrayList<>();
        if (g.getPending() > 0) {
            @SuppressWarnings("deprecation")
            List<org.redisson.api.stream.PendingEntry> pending = topic.listPending(group, StreamMessageId.MIN, StreamMessageId.MAX, (int) g.getPending());
            pending.forEach(p -> ids.add(p.getId()));
        }
        Map<StreamMessageId, Map<String, String>> entries = new LinkedHashMap<>();
        for (StreamMessageId id : ids) {
            entries.putAll(topic.range(id, id));
        }
        entries.putAll(topic.range(max, next(g.getLastDeliveredId()), StreamMessageId.MAX));
        List<String> out = new ArrayList<>();
        entries.values().forEach(fields -> out.add(eventId(fields)));
        return out;
    }

    private static String eventId(Map<String, String> fields) {
        String raw = fields == null ? null : fields.get(RedisKeys.FIELD_EVENT);
        try {
            return raw == null ? "" : dev.herald.runtime.Envelope.read(raw, null).envelope().id();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Removes the entries before {@code bound}; returns how many. */
    public long trim(String eventType, StreamMessageId bound) {
        return stream(eventType).trim(StreamTrimArgs.minId(bound).noLimit());
    }

    /**
     * Moves what {@code group} on the topic still holds — pending with any consumer,
     * and never delivered — into the service's own stream, then removes the group. For a group no
     * registration wants any more (the last instance listening to the type stopped): its events
     * still reach the service, whose workers handle them or dead-letter them, as they would have
     * before. Each entry is acknowledged only after its copy was written. Returns how many moved.
     */
    public long handOver(String eventType, String groupName, String consumer) {
        String service = RedisKeys.groupService(groupName);
        ConsumerGroup group = new ConsumerGroup(redisson, keys.topic(eventType), groupName, consumer);
        long moved = 0;
        while (true) {
            Map<StreamMessageId, Map<String, String>> entries = new LinkedHashMap<>(group.claimIdle(Duration.ZERO, 200).entries());
            if (entries.isEmpty()) {
                entries.putAll(group.readNew(200, null));
            }
            if (entries.isEmpty()) {
                break;
            }
            RBatch batch = redisson.createBatch();
            RStreamAsync<String, String> out = batch.getStream(keys.serviceStream(service), StringCodec.INSTANCE);
            Map<StreamMessageId, RFuture<?>> writes = new LinkedHashMap<>();
            entries.forEach((id, fields) -> writes.put(id, out.addAsync(StreamAddArgs.entries(fields == null || fields.isEmpty()
                    ? Map.of(RedisKeys.FIELD_EVENT, "") : fields))));
            try {
                batch.execute();
            } catch (RuntimeException e) {
                // each write's own reply says which failed
            }
            List<StreamMessageId> copied = new ArrayList<>();
            String error = null;
            for (Map.Entry<StreamMessageId, RFuture<?>> w : writes.entrySet()) {
                String failed = Replies.failure(w.getValue());
                if (failed == null) {
                    copied.add(w.getKey());
                } else if (error == null) {
                    error = failed;
                }
            }
            group.ack(copied);
            moved += copied.size();
            if (error != null) {
                throw new IllegalStateException("cannot move " + (writes.size() - copied.size()) + " entries of " + keys.topic(eventType)
                        + " to " + keys.serviceStream(service) + " (the group stays until they are): " + error);
            }
        }
        stream(eventType).removeGroup(groupName);
        return moved;
    }

    private RStream<String, String> stream(String eventType) {
        return redisson.getStream(keys.topic(eventType), StringCodec.INSTANCE);
    }

    static StreamMessageId next(StreamMessageId id) {
        return new StreamMessageId(id.getId0(), id.getId1() + 1);
    }
}
