package dev.herald.runtime.stream;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamGroup;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What every registered service has waiting, read from Redis in one pass: the figures an operator
 * watches (the console, the broker's gauges, a health check). Reads only; a pass costs a few
 * commands per service and per topic it listens to.
 */
public final class BusState {

    /** Lag is counted up to this many entries per group when Redis does not say it (before 7.0). */
    public static final int LAG_COUNT_LIMIT = 10_000;

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final Catalog catalog;
    private final Registry registry;

    public BusState(RedissonClient redisson, RedisKeys keys, Catalog catalog) {
        this.redisson = redisson;
        this.keys = keys;
        this.catalog = catalog;
        this.registry = new Registry(redisson, keys);
    }

    /**
     * One service.
     *
     * @param listensTo    the union of what its registrations listen to
     * @param instances    live instances (workers enabled or not: a canary sends only)
     * @param handled      events its live instances handled since they started
     * @param streamLength entries in its own stream (retries due, hand-backs, replays)
     * @param pending      delivered to a worker and not yet acknowledged, over its stream and topics
     * @param lag          not yet delivered to any worker, over its stream and topics
     * @param retries      failed events waiting for their next attempt
     * @param deadLetters  entries in its dead-letter stream
     * @param topics       its group on each topic it reads
     */
    public record Service(String service, List<String> listensTo, List<Messenger.Instance> instances, long handled,
                          long streamLength, long pending, long lag, long retries, long deadLetters, List<Topic> topics) {
    }

    /** A service's group on one topic. */
    public record Topic(String type, String group, long pending, long lag) {
    }

    /** Every registered service, by name. */
    public Map<String, Service> read() {
        Map<String, List<Registration>> byService = new TreeMap<>();
        registry.read(new TreeMap<>()).values().forEach(r -> byService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r));
        Map<String, List<StreamGroup>> groupsByType = new HashMap<>();
        Map<String, Service> out = new TreeMap<>();
        byService.forEach((service, regs) -> {
            Set<String> listens = new TreeSet<>();
            Map<String, String> groupByType = new TreeMap<>();
            for (Registration r : Registration.effective(regs)) {
                listens.addAll(r.listensTo());
                for (Catalog.EventInfo e : catalog.events()) {
                    if (r.listensTo(e.name())) {
                        groupByType.putIfAbsent(e.name(), r.topicGroup());
                    }
                }
            }
            long pending = 0;
            long lag = 0;
            List<Topic> topics = new ArrayList<>();
            for (Map.Entry<String, String> t : groupByType.entrySet()) {
                String key = keys.topic(t.getKey());
                List<StreamGroup> groups = groupsByType.computeIfAbsent(t.getKey(), k -> groups(key));
                for (StreamGroup g : groups) {
                    if (g.getName().equals(t.getValue())) {
                        long l = lag(key, g);
                        topics.add(new Topic(t.getKey(), g.getName(), g.getPending(), l));
                        pending += g.getPending();
                        lag += l;
                    }
                }
            }
            String own = keys.serviceStream(service);
            for (StreamGroup g : groups(own)) {
                if (g.getName().equals(RedisKeys.WORKER_GROUP)) {
                    pending += g.getPending();
                    lag += lag(own, g);
                }
            }
            List<Messenger.Instance> instances = Messenger.liveInstances(redisson, keys, service);
            long handled = instances.stream().mapToLong(Messenger.Instance::handled).sum();
            out.put(service, new Service(service, List.copyOf(listens), instances, handled,
                    stream(own).size(), pending, lag, redisson.getScoredSortedSet(keys.serviceRetry(service), StringCodec.INSTANCE).size(),
                    stream(keys.serviceDead(service)).size(), List.copyOf(topics)));
        });
        return out;
    }

    private List<StreamGroup> groups(String key) {
        RStream<String, String> s = stream(key);
        return s.isExists() ? s.listGroups() : List.of();
    }

    /**
     * Entries after the group's last delivered one: Redis 7 says so itself (when it can: not after
     * an XDEL or XTRIM past the group); before, they are counted, up to {@link #LAG_COUNT_LIMIT}.
     */
    private long lag(String key, StreamGroup g) {
        if (g.getEntriesRead() > 0 || g.getLag() > 0) {
            return g.getLag();
        }
        StreamMessageId last = g.getLastDeliveredId();
        return stream(key).range(StreamRangeArgs.startIdExclusive(last).endId(StreamMessageId.MAX).count(LAG_COUNT_LIMIT)).size();
    }

    private RStream<String, String> stream(String key) {
        return redisson.getStream(key, StringCodec.INSTANCE);
    }
}
