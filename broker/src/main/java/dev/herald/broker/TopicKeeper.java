package dev.herald.broker;

import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import dev.herald.runtime.stream.Registry;
import dev.herald.runtime.stream.Topics;
import dev.herald.schema.Names;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps every known topic in line with the registrations, one pass at a time (the broker runs
 * one every two seconds):
 * <ul>
 *   <li>a service whose registrations listen to the type but has no group on its topic gets one
 *       (a type its own catalog did not know when it registered, matched by a pattern), starting
 *       a second before its oldest such registration, so it gets every event sent afterwards;</li>
 *   <li>a group no registration wants any more (the last instance listening to the type stopped,
 *       or its registration expired), unwanted for two passes in a row, hands what it holds to the
 *       service's own stream and is removed, so that it no longer holds the topic's memory;</li>
 *   <li>each topic is trimmed to what every group has acknowledged, but only when the registry
 *       did not change during the pass: a registration stored meanwhile may want entries that no
 *       group of it holds yet, and the next pass gives it its group before anything is trimmed.</li>
 * </ul>
 */
final class TopicKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(TopicKeeper.class);

    private final RedisKeys keys;
    private final Registry registry;
    private final Topics topics;
    private final String consumer;
    /** Groups found unwanted in the last pass: handed over if still unwanted in the next. */
    private Set<String> unwantedBefore = Set.of();
    /**
     * When this broker removed a group ({@code type \n service}), so that a group created again
     * (the whole service went down: every type it last listened to queues again) starts there and
     * does not get what was sent while no running instance wanted it.
     */
    private final Map<String, Long> removedAt = new HashMap<>();
    /** Names in the known topics that are no event names, said once each. */
    private final Set<String> ignored = new java.util.HashSet<>();

    TopicKeeper(RedissonClient redisson, RedisKeys keys, Registry registry, String consumer) {
        this.keys = keys;
        this.registry = registry;
        this.topics = new Topics(redisson, keys);
        this.consumer = consumer;
    }

    /** One pass over every known topic; true if it had work (so the next pass should come soon). */
    boolean run() {
        boolean busy = false;
        String versionBefore = registry.version();
        Map<String, String> unreadable = new TreeMap<>();
        Map<String, List<Registration>> byService = new TreeMap<>();
        registry.read(unreadable).values().forEach(r -> byService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r));
        Set<String> unreadableServices = new TreeSet<>();
        unreadable.keySet().forEach(field -> unreadableServices.add(field.contains("/") ? field.substring(0, field.indexOf('/')) : field));
        Map<String, List<Registration>> effective = new HashMap<>();
        byService.forEach((service, regs) -> effective.put(service, Registration.effective(regs)));

        // the set is written by every sender: a name that cannot be a topic is skipped (and said once),
        // never allowed to stop the pass that trims every other topic
        Set<String> types = new TreeSet<>();
        for (String type : topics.announced()) {
            if (Names.isValidEventName(type)) {
                types.add(type);
            } else if (ignored.add(type)) {
                LOG.warn("{} holds '{}', which is no event name: ignored (remove it with SREM)", keys.topics(), type);
            }
        }
        Set<String> unwantedNow = new TreeSet<>();
        boolean[] busyFlag = {false};
        for (String type : types) {
            List<String> groups = topics.groups(type);
            for (List<Registration> regs : effective.values()) {
                oldestListening(regs, type).forEach((group, since) -> {
                    if (!groups.contains(group)) {
                        long from = Math.max(since - 1_000, removedAt.getOrDefault(type + "\n" + group, 0L));
                        if (topics.ensureGroup(type, group, new StreamMessageId(Math.max(0, from), 0))) {
                            busyFlag[0] = true;
                            LOG.info("{} listens to {} (registered {}) but had no group on its topic: created {}, from then on",
                                    RedisKeys.groupService(group), type, Instant.ofEpochMilli(since), group);
                        }
                    }
                });
            }
            for (String group : groups) {
                String service = RedisKeys.groupService(group);
                List<Registration> regs = effective.get(service);
                boolean wanted = regs != null && oldestListening(regs, type).containsKey(group);
                if (wanted || unreadableServices.contains(service)) {
                    continue;
                }
                String key = type + "\n" + group;
                unwantedNow.add(key);
                if (unwantedBefore.contains(key)) {
                    long at = System.currentTimeMillis();
                    long moved = topics.handOver(type, group, consumer);
                    busyFlag[0] = true;
                    removedAt.put(key, at);
                    unwantedNow.remove(key);
                    LOG.info("no registration of {} listens to {} as group {} any more: removed the group, {} events it still"
                            + " held went to the service's own stream ({})", service, type, group, moved, keys.serviceStream(service));
                }
            }
        }
        unwantedBefore = unwantedNow;
        busy |= busyFlag[0] || !unwantedNow.isEmpty();

        if (!registry.version().equals(versionBefore)) {
            return true; // trimmed in the next pass, after the new registration has its groups
        }
        for (String type : types) {
            StreamMessageId keepFrom = topics.keepFrom(type);
            if (keepFrom != null && topics.trim(type, keepFrom) > 0) {
                busy = true;
            }
        }
        return busy;
    }

    /**
     * For each group {@code regs} (of one service) read {@code type} as, when the oldest of them
     * listening to it was registered (epoch ms); empty if none listens to it.
     */
    private static Map<String, Long> oldestListening(List<Registration> regs, String type) {
        Map<String, Long> oldest = new TreeMap<>();
        for (Registration r : regs) {
            if (r.listensTo(type)) {
                oldest.merge(r.topicGroup(), registeredAt(r), Math::min);
            }
        }
        return oldest;
    }

    private static long registeredAt(Registration r) {
        try {
            return Instant.parse(r.updatedAt()).toEpochMilli();
        } catch (RuntimeException e) {
            return 0; // unknown: from the topic's beginning (a duplicate at worst)
        }
    }
}
