package dev.herald.broker;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.DeadLetter;
import dev.herald.runtime.DeadLetters;
import dev.herald.runtime.Envelope;
import dev.herald.runtime.HeraldException;
import dev.herald.runtime.Json;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.RedisSettings;
import dev.herald.runtime.Replies;
import dev.herald.runtime.Registration;
import dev.herald.runtime.stream.ConsumerGroup;
import dev.herald.runtime.stream.ConsumerLoop;
import dev.herald.runtime.stream.DeliveryLimit;
import dev.herald.runtime.stream.Durations;
import dev.herald.runtime.stream.Registry;
import dev.herald.runtime.stream.Threads;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks what producers without the SDK write into the inbox and appends it to its type's topic;
 * keeps the topics' consumer groups in line with the registrations and trims the topics
 * ({@link TopicKeeper}); expires registrations. SDK senders write their topics themselves.
 *
 * <p>Each consumer thread reads a batch from the inbox as a member of the consumer group
 * {@code brokers} ({@code XREADGROUP COUNT batchSize}), reads the registry version (one
 * {@code GET}) and re-reads the registrations only if it changed (for its counters), checks every
 * event (a CloudEvents envelope; known type and version; {@code data} valid against the catalog's
 * JSON Schema; {@code source} allowed by {@code x-owner}), then sends one pipeline: one
 * {@code XADD} to the type's topic per event, whatever the number of listeners, and an
 * {@code XADD} to the broker's dead-letter stream per refused entry; then, once their replies are
 * in, one {@code XACK} for the entries whose write succeeded. A crash before the
 * acknowledgement gives a duplicate, never a loss; a refused write leaves its entry pending, to be
 * routed again (and dead-lettered as {@code delivery-limit} after {@code maxDeliveries}). Any
 * number of brokers can run: they share the group; entries a dead broker held are claimed back
 * after {@code claimIdle}. A service's route is the union of what its registered instances listen
 * to; registrations of instances gone longer than the retention are removed.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final Catalog catalog;
    private final int concurrency;
    private final int batchSize;
    private final long claimIdleMs;
    private final DeliveryLimit deliveryLimit;
    private final boolean allowEviction;
    private final int maxEnvelopeBytes;
    private final long readLingerNanos;
    private final Duration registrationRetention;
    private final DeadLetter.Retention deadLetterRetention;
    private final String id;
    private final Registry registry;
    private volatile Map<String, String> unreadableRegistrations = Map.of();
    private final List<Thread> threads = new ArrayList<>();
    private final List<ConsumerLoop> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService maintenance;
    private volatile boolean running;
    private volatile Routes routes = new Routes("\u0000never read", Map.of());
    private final Object routesLock = new Object();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong unrouted = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    /** Types this broker has put among the known topics. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private final TopicKeeper topicKeeper;

    private final dev.herald.runtime.BusMetrics metrics;
    private final dev.herald.runtime.BusTracing tracing;

    private Broker(Builder b) {
        this.redisson = b.redisson;
        this.catalog = b.catalog != null ? b.catalog : Catalog.fromClasspath();
        this.metrics = b.metrics;
        this.tracing = b.tracing != null ? b.tracing : dev.herald.runtime.BusTracing.detect();
        this.keys = new RedisKeys(b.namespace != null ? b.namespace : catalog.namespace() != null ? catalog.namespace() : "herald");
        this.concurrency = b.concurrency;
        this.batchSize = b.batchSize;
        this.claimIdleMs = b.claimIdle.toMillis();
        this.deliveryLimit = b.deliveryLimit;
        this.allowEviction = b.allowEviction;
        this.maxEnvelopeBytes = b.maxEnvelopeBytes;
        this.readLingerNanos = b.readLinger.toNanos();
        this.registrationRetention = b.registrationRetention;
        this.deadLetterRetention = b.deadLetterRetention;
        this.id = "broker-" + host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.registry = new Registry(redisson, keys);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(Threads.daemons("herald-broker-maint"));
        this.topicKeeper = new TopicKeeper(redisson, keys, registry, id);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Broker}. */
    public static final class Builder {
        private RedissonClient redisson;
        private String namespace;
        private Catalog catalog;
        private int concurrency = 2;
        private int batchSize = 500;
        private Duration claimIdle = Duration.ofSeconds(30);
        private DeliveryLimit deliveryLimit = DeliveryLimit.DEFAULT;
        private boolean allowEviction;
        private int maxEnvelopeBytes = Envelope.DEFAULT_MAX_BYTES;
        private Duration readLinger = Duration.ofNanos(1_500_000);
        private Duration registrationRetention = Registry.DEFAULT_RETENTION;
        private DeadLetter.Retention deadLetterRetention = DeadLetter.Retention.DEFAULT;
        private dev.herald.runtime.BusMetrics metrics = dev.herald.runtime.BusMetrics.NONE;
        private dev.herald.runtime.BusTracing tracing;

        /** Where the broker's check of each inbox entry becomes a span (default: {@code BusTracing.detect()}). */
        public Builder tracing(dev.herald.runtime.BusTracing t) {
            this.tracing = t;
            return this;
        }

        /** Where the broker reports what it routed and refused (e.g. {@code new MicrometerMetrics(registry)}). */
        public Builder metrics(dev.herald.runtime.BusMetrics m) {
            this.metrics = m == null ? dev.herald.runtime.BusMetrics.NONE : m;
            return this;
        }

        public Builder redisson(RedissonClient client) {
            this.redisson = client;
            return this;
        }

        public Builder namespace(String ns) {
            this.namespace = ns;
            return this;
        }

        public Builder catalog(Catalog c) {
            this.catalog = c;
            return this;
        }

        /** Consumer threads in this broker (default 2). */
        public Builder concurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1");
            }
            this.concurrency = n;
            return this;
        }

        /** Entries read per XREADGROUP (default 500). */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batch size must be >= 1 (entries read per XREADGROUP), got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** After how long an entry held by another broker counts as abandoned (default 30 s). */
        public Builder claimIdle(Duration d) {
            this.claimIdle = Durations.positive(d, "claim idle time");
            return this;
        }

        /**
         * How many times an inbox entry is read before the broker gives up on routing it and
         * dead-letters it with reason {@code delivery-limit} (default 10). Counts every read: a
         * write Redis refused, a broker that died holding it.
         */
        public Builder maxDeliveries(int n) {
            this.deliveryLimit = new DeliveryLimit(n);
            return this;
        }

        /**
         * After a read that came short (a low rate), how long to wait for more entries before the
         * next read, so that one read, GET and XACK serve several (default 1.5 ms; zero for the
         * lowest latency).
         */
        public Builder readLinger(Duration d) {
            this.readLinger = Durations.nonNegative(d, "read linger");
            return this;
        }

        /**
         * How long a service instance may go without a heartbeat before its registration is
         * removed (default 7 days). Until then events for a stopped service queue in its stream.
         */
        public Builder registrationRetention(Duration d) {
            this.registrationRetention = Durations.positive(d, "registration retention");
            return this;
        }

        /** How long and how many of the broker's dead letters are kept (default 14 days, 100,000). */
        public Builder deadLetterRetention(Duration maxAge, int maxLength) {
            this.deadLetterRetention = new DeadLetter.Retention(maxAge, maxLength);
            return this;
        }

        /**
         * Start even when Redis's maxmemory-policy may evict streams ({@code allkeys-*}), which
         * deletes events without a trace; without it such a Redis is refused at start.
         */
        public Builder allowEviction(boolean allow) {
            this.allowEviction = allow;
            return this;
        }

        /** Larger inbox entries are dead-lettered as {@code too-large} before parsing (default 1 MiB, as a Messenger's). */
        public Builder maxEnvelopeBytes(int bytes) {
            this.maxEnvelopeBytes = Envelope.checkedMaxBytes(bytes);
            return this;
        }

        public Broker build() {
            if (redisson == null) {
                throw new IllegalStateException("a Broker needs redisson(client)");
            }
            return new Broker(this);
        }

        public Broker start() {
            return build().start();
        }
    }

    /** Starts the consumer threads; returns this. */
    public synchronized Broker start() {
        if (running) {
            return this;
        }
        checkRedis();
        running = true;
        ConsumerGroup.ensure(redisson, keys.inbox(), RedisKeys.BROKER_GROUP);
        for (int i = 0; i < concurrency; i++) {
            String consumer = id + "-" + i;
            ConsumerGroup group = new ConsumerGroup(redisson, keys.inbox(), RedisKeys.BROKER_GROUP, consumer);
            ConsumerLoop loop = new ConsumerLoop("broker " + consumer, redisson, group, () -> running, new RouteRound(group));
            loops.add(loop);
            Thread t = Threads.daemon(loop, "herald-broker-" + i);
            threads.add(t);
            t.start();
        }
        maintenance.scheduleWithFixedDelay(this::trim, 2, 2, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(this::beat, 0, 5, TimeUnit.SECONDS);
        long expireEvery = Math.max(500, Math.min(60_000, registrationRetention.toMillis() / 4));
        maintenance.scheduleWithFixedDelay(this::expireRegistrations, 500, expireEvery, TimeUnit.MILLISECONDS);
        LOG.info("broker {} routing namespace '{}' ({} events in the catalog, {} consumer threads)", id, keys.namespace(),
                catalog.events().size(), concurrency);
        return this;
    }

    /** Refuses a Redis that may evict streams (unless allowed), and says what else puts events at risk. */
    private void checkRedis() {
        RedisSettings settings;
        try {
            settings = RedisSettings.read(redisson);
        } catch (RuntimeException e) {
            LOG.warn("cannot read Redis INFO to check eviction and persistence ({}); make sure maxmemory-policy is"
                    + " noeviction and appendonly is yes", e.toString());
            return;
        }
        if (settings.mayEvictStreams() && !allowEviction) {
            throw new IllegalStateException("refusing to start: " + settings.risks().get(0)
                    + ". To run anyway, pass --allow-eviction (HERALD_ALLOW_EVICTION=true) or Broker.builder().allowEviction(true).");
        }
        settings.risks().forEach(risk -> LOG.warn("broker: {}", risk));
    }

    // ------------------------------------------------------------------ routing

    /**
     * One consumer thread's round: claims back what dead brokers held now and then, routes again
     * what this consumer read but Redis refused to take (with a growing pause, while new entries
     * keep flowing, so one broken stream does not hold up every other service), else reads new
     * entries.
     */
    private final class RouteRound implements ConsumerLoop.Round {
        private final ConsumerGroup group;
        private long nextClaim = System.currentTimeMillis() + claimEvery();
        private long retryOwnAt = NEVER; // when to route again this consumer's entries that Redis refused to take
        private int refusedRounds;
        private boolean lastReadFull;
        private int emptyReads;
        /** The last Redis error of an entry not yet routed, for its dead letter if it reaches the delivery limit. */
        private final Map<StreamMessageId, String> lastErrors = new java.util.HashMap<>();

        RouteRound(ConsumerGroup group) {
            this.group = group;
        }

        private long claimEvery() {
            return Math.max(100, claimIdleMs / 4);
        }

        @Override
        public void run() {
            long now = System.currentTimeMillis();
            if (now >= nextClaim) {
                nextClaim = now + claimEvery();
                ConsumerGroup.Claimed claimed = group.claimIdle(Duration.ofMillis(claimIdleMs), batchSize);
                if (!claimed.isEmpty()) {
                    LOG.info("broker {} claimed back {} inbox entries abandoned for more than {} ms", group.consumer(),
                            claimed.entries().size(), claimIdleMs);
                    if (!route(this, claimed.entries(), claimed.deliveries())) {
                        retryOwnAt = Math.min(retryOwnAt, now + backoff(refusedRounds));
                    }
                    return;
                }
            }
            if (now >= retryOwnAt) {
                Map<StreamMessageId, Map<String, String>> own = group.readOwnPending(batchSize);
                if (own.isEmpty()) {
                    retryOwnAt = NEVER;
                    refusedRounds = 0;
                    // nothing of this consumer is pending: what is remembered about entries
                    // another broker claimed meanwhile can go
                    lastErrors.clear();
                } else if (route(this, own, group.deliveryCounts(own.keySet()))) {
                    retryOwnAt = now; // more may be left: read them next
                    refusedRounds = 0;
                } else {
                    // each read counts a delivery: back off so that an operator has time to act
                    retryOwnAt = now + backoff(++refusedRounds);
                }
                return;
            }
            Map<StreamMessageId, Map<String, String>> batch = group.readNew(batchSize, lastReadFull ? null : ConsumerGroup.blockFor(emptyReads));
            emptyReads = batch.isEmpty() ? emptyReads + 1 : 0;
            lastReadFull = batch.size() >= batchSize;
            if (!batch.isEmpty()) {
                if (!route(this, batch, Map.of())) {
                    retryOwnAt = Math.min(retryOwnAt, now + backoff(refusedRounds));
                }
                if (batch.size() < batchSize && readLingerNanos > 0) {
                    // low rate: let a few events gather so one read, GET and XACK serve several
                    LockSupport.parkNanos(readLingerNanos);
                }
            }
        }

        @Override
        public void failed(Throwable t) {
            retryOwnAt = 0; // whatever this consumer read may be unacknowledged: route it again
        }
    }

    private static final long NEVER = Long.MAX_VALUE;

    /** A write an inbox entry needs: its XADD to its topic or to the dead letters, or its type's announcement (SADD). */
    private record Write(RFuture<?> reply) {
    }

    /** 0.2, 0.4, 0.8 ... 5 s between rounds of entries Redis keeps refusing. */
    private static long backoff(int round) {
        return Math.min(5_000L, 200L << Math.min(round, 5));
    }

    /**
     * Checks and routes one batch; returns true if every entry was acknowledged. An entry is
     * acknowledged only after the write it needed (its topic's XADD, or its dead letter) succeeded:
     * Redis runs each command of a pipeline on its own, and on Redis Cluster the topics of one
     * batch are on several nodes, so one refused XADD (wrong type, out of memory, no permission, a
     * failover) must not be followed by the XACK that would drop the event.
     * Entries left pending are read again by this consumer, with their delivery count rising, and
     * dead-lettered with reason {@code delivery-limit} and the last Redis error once it passes
     * {@code maxDeliveries}.
     */
    private boolean route(RouteRound round, Map<StreamMessageId, Map<String, String>> batch, Map<StreamMessageId, Long> deliveryCounts) {
        Routes r = currentRoutes();
        Map<StreamMessageId, String> lastErrors = round.lastErrors;
        RBatch pipeline = redisson.createBatch();
        Map<String, org.redisson.api.RStreamAsync<byte[], byte[]>> outputs = new java.util.HashMap<>();
        Set<String> announcing = new java.util.HashSet<>();
        Map<StreamMessageId, List<Write>> writes = new LinkedHashMap<>();
        long routedHere = 0;
        long deliveriesHere = 0;
        long deadHere = 0;
        long unroutedHere = 0;
        String now = null;
        for (Map.Entry<StreamMessageId, Map<String, String>> e : batch.entrySet()) {
            List<Write> entryWrites = new ArrayList<>(2);
            writes.put(e.getKey(), entryWrites);
            Map<String, String> fields = e.getValue();
            String raw = fields == null ? null : fields.get(RedisKeys.FIELD_EVENT);
            try {
                long reads = deliveryCounts.getOrDefault(e.getKey(), 1L);
                if (deliveryLimit.exceededBy(reads)) {
                    String last = lastErrors.get(e.getKey());
                    throw new Refused(DeadLetter.Reason.DELIVERY_LIMIT, deliveryLimit.describe(reads, "never routed; last error: "
                            + (last != null ? last : "unknown (another broker held it)")));
                }
                Checked checked;
                try {
                    checked = check(raw, fields, r);
                } catch (RuntimeException bug) {
                    // never let one entry block the inbox: an unexpected failure is a refusal too
                    throw new Refused(DeadLetter.Reason.INTERNAL_ERROR, bug.toString());
                }
                List<String> targets = checked.listeners();
                // one stream object per topic and batch, not per event (key string, object)
                org.redisson.api.RStreamAsync<byte[], byte[]> out = outputs.get(checked.type());
                if (out == null) {
                    out = pipeline.getStream(keys.topic(checked.type()), ByteArrayCodec.INSTANCE);
                    outputs.put(checked.type(), out);
                    if (!announced.contains(checked.type())) {
                        entryWrites.add(new Write(pipeline.<String>getSet(keys.topics(), StringCodec.INSTANCE).addAsync(checked.type())));
                        announcing.add(checked.type());
                    }
                }
                entryWrites.add(new Write(out.addAsync(RedisKeys.eventEntry(raw.getBytes(StandardCharsets.UTF_8)))));
                routedHere++;
                metrics.routed(checked.type());
                deliveriesHere += targets.size();
                if (targets.isEmpty()) {
                    unroutedHere++;
                }
            } catch (Refused refused) {
                if (now == null) {
                    now = Envelope.now();
                }
                Map<String, String> dead = DeadLetter.entry(raw == null ? fieldsJson(fields) : raw, refused.reason,
                        refused.getMessage(), 0, now, id);
                entryWrites.add(new Write(pipeline.<String, String>getStream(keys.brokerDead(), StringCodec.INSTANCE)
                        .addAsync(DeadLetter.add(dead, deadLetterRetention))));
                deadHere++;
                metrics.refused(refused.reason.wire());
            }
        }
        try {
            pipeline.execute();
        } catch (RuntimeException e) {
            // a command failed; which ones is in each write's own future, looked at below
            LOG.debug("pipeline: {}", e.toString());
        }
        List<StreamMessageId> done = new ArrayList<>(writes.size());
        String firstError = null;
        for (Map.Entry<StreamMessageId, List<Write>> w : writes.entrySet()) {
            String error = null;
            for (Write write : w.getValue()) {
                String failed = Replies.failure(write.reply());
                if (failed != null && error == null) {
                    error = failed;
                }
            }
            if (error == null) {
                done.add(w.getKey());
            } else {
                lastErrors.put(w.getKey(), error);
                if (firstError == null) {
                    firstError = error;
                }
            }
        }
        if (!done.isEmpty()) {
            round.group.ack(done); // if this fails: duplicates, never a loss
            acknowledgedSinceTrim = true;
            for (StreamMessageId d : done) {
                lastErrors.remove(d);
            }
        }
        if (firstError == null) {
            announced.addAll(announcing); // else announced again with the next batch of the type
        }
        received.addAndGet(batch.size());
        routed.addAndGet(routedHere);
        deliveries.addAndGet(deliveriesHere);
        deadLettered.addAndGet(deadHere);
        unrouted.addAndGet(unroutedHere);
        batches.incrementAndGet();
        if (deadHere > 0) {
            LOG.warn("broker refused {} inbox entries (see the dead-letter stream {})", deadHere, keys.brokerDead());
        }
        int failed = batch.size() - done.size();
        if (failed > 0) {
            writeFailures.addAndGet(failed);
            LOG.warn("broker: Redis refused a write for {} of {} inbox entries; they stay pending and are retried"
                    + " (dead-lettered after {} deliveries): {}", failed, batch.size(), deliveryLimit.max(), firstError);
            return false;
        }
        return true;
    }

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final DeadLetter.Reason reason;

        Refused(DeadLetter.Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** An inbox entry that passed: its type, and the services that listen to it now (for the counters). */
    private record Checked(String type, List<String> listeners) {
    }

    /** The entry's type and listeners, or a refusal with its reason. */
    private Checked check(String raw, Map<String, String> fields, Routes r) throws Refused {
        if (raw == null) {
            throw new Refused(DeadLetter.Reason.MALFORMED, "inbox entry without an 'event' field (fields: " + (fields == null ? "none" : fields.keySet()) + ")");
        }
        if (Envelope.exceeds(raw, maxEnvelopeBytes)) {
            throw new Refused(DeadLetter.Reason.TOO_LARGE, "the entry is " + raw.getBytes(StandardCharsets.UTF_8).length + " bytes, more than the limit of "
                    + maxEnvelopeBytes + " (--max-envelope-bytes); the dead letter keeps its first " + DeadLetter.TOO_LARGE_COPY_CHARS + " chars");
        }
        Envelope env;
        try {
            env = Envelope.parse(raw);
        } catch (HeraldException e) {
            throw new Refused(DeadLetter.Reason.MALFORMED, e.getMessage());
        }
        // the check is the broker's part of the event's trace (a span when a tracer is there)
        dev.herald.runtime.BusTracing.Process span = tracing.startProcess(null, RedisKeys.BROKER_GROUP, env, 1);
        try {
            return checkParsed(env, r);
        } catch (Refused refused) {
            span.failed(refused);
            throw refused;
        } finally {
            span.close();
        }
    }

    private Checked checkParsed(Envelope env, Routes r) throws Refused {
        Catalog.EventInfo info = catalog.event(env.type()).orElseThrow(() ->
                new Refused(DeadLetter.Reason.UNKNOWN_TYPE, "unknown event type '" + env.type() + "'"));
        int version = env.version();
        if (version < 0) {
            throw new Refused(DeadLetter.Reason.MALFORMED, "dataschema '" + env.dataschema() + "' does not name herald:" + env.type() + "/v<N>");
        }
        if (!info.schemas().containsKey(version)) {
            throw new Refused(DeadLetter.Reason.UNKNOWN_VERSION, "unknown version " + version + " of " + env.type() + " (known: " + info.versions() + ")");
        }
        String sender = env.sourceService();
        if (info.owner() != null && !info.owner().equals(sender)) {
            throw new Refused(DeadLetter.Reason.WRONG_OWNER, "source '" + env.source() + "' may not send " + env.type()
                    + " (x-owner: " + info.owner() + ")");
        }
        List<String> violations;
        try {
            violations = catalog.validateData(env.type(), version, env.data());
        } catch (RuntimeException e) {
            throw new Refused(DeadLetter.Reason.INVALID_DATA, "cannot validate: " + e.getMessage());
        }
        if (!violations.isEmpty()) {
            throw new Refused(DeadLetter.Reason.INVALID_DATA, String.join("; ", violations));
        }
        List<String> targets = r.targets(env.type());
        if (sender != null && targets.contains(sender)) {
            // a sender does not get its own event: its group on the topic skips it
            List<String> others = new ArrayList<>(targets);
            others.remove(sender);
            return new Checked(env.type(), others);
        }
        return new Checked(env.type(), targets);
    }

    private static String fieldsJson(Map<String, String> fields) {
        try {
            return Json.mapper().writeValueAsString(fields);
        } catch (Exception e) {
            return String.valueOf(fields);
        }
    }

    // ------------------------------------------------------------------ registrations

    /**
     * Registrations as of one registry version, with the listeners per event type computed
     * lazily: every service one of whose effective registrations ({@link Registration#effective}:
     * its running instances', or all when none runs) listens to the type.
     */
    private static final class Routes {
        final String version;
        final List<Registration> effective;
        final Map<String, List<String>> byType = new ConcurrentHashMap<>();

        Routes(String version, Map<String, Registration> registrations) {
            this.version = version;
            Map<String, List<Registration>> byService = new TreeMap<>();
            registrations.values().forEach(r -> byService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r));
            this.effective = byService.values().stream().flatMap(regs -> Registration.effective(regs).stream()).toList();
        }

        List<String> targets(String type) {
            return byType.computeIfAbsent(type, t -> effective.stream()
                    .filter(reg -> reg.listensTo(t)).map(Registration::service).distinct().sorted().toList());
        }
    }

    /**
     * The registrations valid for a batch just read. The registry version (a token every
     * register() replaces, atomically with the registration) is read after the batch: a
     * register() that completed before an event was sent replaced it before the event reached
     * the inbox, so this read sees the new token and the registrations are re-read before the
     * event is routed.
     */
    private Routes currentRoutes() {
        String version = registry.version();
        Routes r = routes;
        if (r.version.equals(version)) {
            return r;
        }
        synchronized (routesLock) {
            r = routes;
            if (r.version.equals(version)) {
                return r;
            }
            Map<String, String> unreadable = new TreeMap<>();
            Map<String, Registration> regs = registry.read(unreadable);
            Routes fresh = new Routes(version, regs);
            routes = fresh;
            LOG.info("registrations changed: {}", describe(fresh.effective));
            if (!unreadable.isEmpty() && !unreadable.equals(unreadableRegistrations)) {
                LOG.error("broker ignores {} unreadable registrations in {} (their services get no events until they"
                        + " register again; every other route works): {}", unreadable.size(), keys.namespace() + ":{registry}", unreadable);
            }
            unreadableRegistrations = Map.copyOf(unreadable);
            return fresh;
        }
    }

    /** Each service with the union of what its instances listen to, and how many instances registered. */
    private static String describe(List<Registration> regs) {
        Map<String, Set<String>> byService = new TreeMap<>();
        Map<String, Integer> instances = new TreeMap<>();
        regs.forEach(reg -> {
            byService.computeIfAbsent(reg.service(), k -> new java.util.LinkedHashSet<>()).addAll(reg.listensTo());
            instances.merge(reg.service(), 1, Integer::sum);
        });
        StringBuilder b = new StringBuilder();
        byService.forEach((s, l) -> b.append(b.length() == 0 ? "" : ", ").append(s).append(" <- ").append(l)
                .append(instances.get(s) > 1 ? " (" + instances.get(s) + " instances)" : ""));
        return b.length() == 0 ? "none" : b.toString();
    }

    // ------------------------------------------------------------------ maintenance

    /** Set when this broker acknowledged inbox entries: only then is there anything of the inbox to trim. */
    private volatile boolean acknowledgedSinceTrim = true;
    private long deadLettersTrimmedAt;
    /** The topic keeper's last full pass: what the registry's token was, when, and whether it had work. */
    private String keptAtVersion;
    private long keptAt;
    private boolean keeperBusy = true;
    /** A full topic pass at least this often when nothing changes (trimming what services acknowledged meanwhile). */
    static final long IDLE_KEEPER_MS = 10_000;

    /**
     * Every 2 s: removes acknowledged inbox entries (after acknowledgements), dead letters past
     * their retention (every minute), and looks after the topics — a full pass when the
     * registrations or the known topics changed, when the last pass had work (a group created,
     * removed or about to be, entries trimmed), or every {@link #IDLE_KEEPER_MS}; else two reads.
     */
    private void trim() {
        try {
            if (acknowledgedSinceTrim) {
                acknowledgedSinceTrim = false;
                try {
                    new ConsumerGroup(redisson, keys.inbox(), RedisKeys.BROKER_GROUP, id).trimAcknowledged();
                } catch (RuntimeException e) {
                    acknowledgedSinceTrim = true; // tried again in the next round, not only after the next acknowledgement
                    throw e;
                }
            }
            long now = System.currentTimeMillis();
            if (now - deadLettersTrimmedAt >= 60_000) {
                deadLettersTrimmedAt = now;
                deadLetters().trim(deadLetterRetention);
            }
        } catch (RuntimeException e) {
            LOG.debug("trim: {}", e.toString());
        }
        try {
            long now = System.currentTimeMillis();
            // the registry's token and the number of known topics (a sender's first event of a type) say whether anything changed
            String version = registry.version() + "/" + redisson.getSet(keys.topics(), StringCodec.INSTANCE).size();
            if (keeperBusy || !version.equals(keptAtVersion) || now - keptAt >= IDLE_KEEPER_MS) {
                keeperBusy = true; // if the pass fails, the next one runs in full
                keeperBusy = topicKeeper.run();
                keptAtVersion = version;
                keptAt = now;
            }
        } catch (RuntimeException e) {
            LOG.warn("broker {}: cannot look after the topics this round ({}); trying again in 2 s", id, e.toString());
        }
    }

    private void expireRegistrations() {
        try {
            List<String> removed = registry.expire(registrationRetention);
            if (!removed.isEmpty()) {
                LOG.warn("removed {} registrations of instances without a heartbeat for more than {}: {} (their services get no"
                        + " new events unless another instance listens; they register again when they return)", removed.size(),
                        registrationRetention, removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("broker {}: cannot expire registrations this round: {}", id, e.toString());
        }
    }

    /** When every consumer thread last completed a round (the oldest of them, epoch ms). */
    private long lastRoundAt() {
        long oldest = System.currentTimeMillis();
        for (ConsumerLoop l : loops) {
            oldest = Math.min(oldest, l.lastRoundAt());
        }
        return oldest;
    }

    /**
     * Whether every consumer thread is running and completed a round within {@code within}: a
     * thread stuck in a round (Redis hangs) makes the broker not live, whatever timers still fire.
     */
    public boolean live(Duration within) {
        if (!running) {
            return false;
        }
        for (Thread t : threads) {
            if (!t.isAlive()) {
                return false;
            }
        }
        return System.currentTimeMillis() - lastRoundAt() <= within.toMillis();
    }

    private void beat() {
        try {
            Map<String, Object> hb = new LinkedHashMap<>();
            hb.put("id", id);
            hb.put("lastSeen", lastRoundAt()); // the last completed round, not this timer
            hb.put("received", received.get());
            hb.put("deadLettered", deadLettered.get());
            redisson.<String, String>getMap(keys.brokers(), StringCodec.INSTANCE).fastPut(id, Json.mapper().writeValueAsString(hb));
        } catch (Exception e) {
            LOG.debug("heartbeat: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ API

    /** The broker's dead-letter stream (replay puts an entry back into the inbox). */
    public DeadLetters deadLetters() {
        return new DeadLetters(redisson, keys.brokerDead(), keys.inbox());
    }

    public RedisKeys keys() {
        return keys;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The client the broker uses (the HTTP endpoints read what they show with it). */
    public RedissonClient redisson() {
        return redisson;
    }

    public String id() {
        return id;
    }

    /** Registrations the broker could not read and ignores, by service field, with the reason. */
    public Map<String, String> unreadableRegistrations() {
        return unreadableRegistrations;
    }

    public boolean running() {
        return running;
    }

    /** Counters since start. */
    public Stats stats() {
        return new Stats(received.get(), routed.get(), deliveries.get(), unrouted.get(), deadLettered.get(), batches.get(),
                writeFailures.get());
    }

    /**
     * @param received     inbox entries processed
     * @param routed       valid events (delivered to every listener, maybe none)
     * @param deliveries   appends to service streams
     * @param unrouted     valid events nobody listens to
     * @param deadLettered refused entries
     * @param batches      pipelines sent
     * @param writeFailures entries left pending because Redis refused one of their writes (each retried)
     */
    public record Stats(long received, long routed, long deliveries, long unrouted, long deadLettered, long batches,
                        long writeFailures) {
    }

    /** Stops reading; the batch in progress is finished and acknowledged. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        maintenance.shutdownNow();
        try {
            maintenance.awaitTermination(1, TimeUnit.SECONDS); // a heartbeat in flight must not outlive its removal
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!redisson.isShutdown()) {
                redisson.<String, String>getMap(keys.brokers(), StringCodec.INSTANCE).fastRemove(id);
            }
        } catch (RuntimeException e) {
            LOG.debug("heartbeat removal: {}", e.toString());
        }
        LOG.info("broker {} stopped: {}", id, stats());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
