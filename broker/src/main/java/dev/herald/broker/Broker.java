package dev.herald.broker;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.DeadLetter;
import dev.herald.runtime.DeliveryCounts;
import dev.herald.runtime.DeadLetters;
import dev.herald.runtime.Envelope;
import dev.herald.runtime.HeraldException;
import dev.herald.runtime.Json;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.RedisSettings;
import dev.herald.runtime.Replies;
import dev.herald.runtime.Registration;
import dev.herald.runtime.Worker;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.AutoClaimResult;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
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
 * Routes every event of the inbox to the stream of each registered listener.
 *
 * <p>Each consumer thread reads a batch from the inbox as a member of the consumer group
 * {@code brokers} ({@code XREADGROUP COUNT batchSize}), reads the registry version (one
 * {@code GET}) and re-reads the registrations only if it changed, checks every event (a
 * CloudEvents envelope; known type and version; {@code data} valid against the catalog's JSON
 * Schema; {@code source} allowed by {@code x-owner}), then sends one pipeline: an {@code XADD}
 * per listener per event and an {@code XADD} to the broker's dead-letter stream per refused entry;
 * then one {@code XACK} for the entries whose every write succeeded. A crash before the
 * acknowledgement gives a duplicate, never a loss; a refused write leaves its entry pending. Any number of brokers can run: they share the group; entries a dead
 * broker held are claimed back after {@code claimIdle}.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    static final long READ_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("herald.broker.readLingerMicros", 1500));

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final Catalog catalog;
    private final int concurrency;
    private final int batchSize;
    private final long claimIdleMs;
    private final int maxDeliveries;
    private final boolean allowEviction;
    private final int maxEnvelopeBytes;
    /** What a dead letter keeps of an entry too large to route: enough to see what it was. */
    static final int DEAD_LETTER_COPY_CHARS = 64 * 1024;
    private final String id;
    /** The last Redis error of an entry not yet routed, for its dead letter if it reaches the delivery limit. */
    private final Map<StreamMessageId, String> lastErrors = new ConcurrentHashMap<>();
    /** Listeners an entry still pending already reached, so that its retry does not copy it to them again. */
    private final Map<StreamMessageId, Set<String>> delivered = new ConcurrentHashMap<>();
    private volatile Map<String, String> unreadableRegistrations = Map.of();
    private final List<Thread> threads = new ArrayList<>();
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

    private Broker(Builder b) {
        this.redisson = b.redisson;
        this.catalog = b.catalog != null ? b.catalog : Catalog.fromClasspath();
        this.keys = new RedisKeys(b.namespace != null ? b.namespace : catalog.namespace() != null ? catalog.namespace() : "herald");
        this.concurrency = b.concurrency;
        this.batchSize = b.batchSize;
        this.claimIdleMs = b.claimIdle.toMillis();
        this.maxDeliveries = b.maxDeliveries;
        this.allowEviction = b.allowEviction;
        this.maxEnvelopeBytes = b.maxEnvelopeBytes;
        this.id = "broker-" + host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-broker-maint");
            t.setDaemon(true);
            return t;
        });
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
        private int maxDeliveries = 10;
        private boolean allowEviction;
        private int maxEnvelopeBytes = Envelope.DEFAULT_MAX_BYTES;

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
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("claim idle time must be positive, got " + d);
            }
            this.claimIdle = d;
            return this;
        }

        /**
         * How many times an inbox entry is read before the broker gives up on routing it and
         * dead-letters it with reason {@code delivery-limit} (default 10). Counts every read: a
         * write Redis refused, a broker that died holding it.
         */
        public Builder maxDeliveries(int n) {
            this.maxDeliveries = DeliveryCounts.checkedMax(n);
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
        Messenger.ensureGroup(redisson, keys.inbox(), RedisKeys.BROKER_GROUP);
        for (int i = 0; i < concurrency; i++) {
            String consumer = id + "-" + i;
            Thread t = new Thread(() -> loop(consumer), "herald-broker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        maintenance.scheduleWithFixedDelay(this::trim, 2, 2, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(this::beat, 0, 5, TimeUnit.SECONDS);
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

    private void loop(String consumer) {
        RStream<String, String> inbox = redisson.getStream(keys.inbox(), StringCodec.INSTANCE);
        long nextClaim = System.currentTimeMillis() + Math.max(100, claimIdleMs / 4);
        long retryOwnAt = NEVER; // when to route again this consumer's entries that Redis refused to take
        int refusedRounds = 0;
        boolean lastReadFull = false;
        while (running) {
            try {
                long now = System.currentTimeMillis();
                if (now >= nextClaim) {
                    nextClaim = now + Math.max(100, claimIdleMs / 4);
                    AutoClaimResult<String, String> claimed = inbox.autoClaim(RedisKeys.BROKER_GROUP, consumer, claimIdleMs,
                            TimeUnit.MILLISECONDS, StreamMessageId.MIN, batchSize);
                    if (claimed.getMessages() != null && !claimed.getMessages().isEmpty()) {
                        LOG.info("broker {} claimed back {} inbox entries abandoned for more than {} ms", consumer,
                                claimed.getMessages().size(), claimIdleMs);
                        if (!route(inbox, claimed.getMessages(), true)) {
                            retryOwnAt = Math.min(retryOwnAt, now + backoff(refusedRounds));
                        }
                        continue;
                    }
                }
                if (now >= retryOwnAt) {
                    // route again what this consumer read but could not acknowledge; new entries are
                    // read in between, so one broken stream does not hold up every other service
                    Map<StreamMessageId, Map<String, String>> own = inbox.readGroup(RedisKeys.BROKER_GROUP, consumer,
                            StreamReadGroupArgs.greaterThan(new StreamMessageId(0, 0)).count(batchSize));
                    if (own == null || own.isEmpty()) {
                        retryOwnAt = NEVER;
                        refusedRounds = 0;
                    } else if (route(inbox, own, true)) {
                        retryOwnAt = now; // more may be left: read them next
                        refusedRounds = 0;
                    } else {
                        // each read counts a delivery: back off so that an operator has time to act
                        retryOwnAt = now + backoff(++refusedRounds);
                    }
                    continue;
                }
                // after a full batch more entries are likely waiting: read without BLOCK (Redisson's
                // completion of a blocking command is costly); block only when the last read came short
                StreamReadGroupArgs args = StreamReadGroupArgs.neverDelivered().count(batchSize);
                Map<StreamMessageId, Map<String, String>> batch = inbox.readGroup(RedisKeys.BROKER_GROUP, consumer,
                        lastReadFull ? args : args.timeout(Duration.ofMillis(500)));
                lastReadFull = batch != null && batch.size() >= batchSize;
                if (batch != null && !batch.isEmpty()) {
                    if (!route(inbox, batch, false)) {
                        retryOwnAt = Math.min(retryOwnAt, now + backoff(refusedRounds));
                    }
                    if (batch.size() < batchSize && READ_LINGER_NANOS > 0) {
                        // low rate: let a few events gather so one read, GET and XACK serve several
                        LockSupport.parkNanos(READ_LINGER_NANOS);
                    }
                }
            } catch (Throwable e) { // an Error (out of memory, stack overflow) must not end routing either
                if (!running || redisson.isShutdown() || redisson.isShuttingDown()) {
                    return; // the client is closing: nothing to report
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    Messenger.ensureGroup(redisson, keys.inbox(), RedisKeys.BROKER_GROUP);
                } else {
                    LOG.warn("broker {}: {}", consumer, e.toString());
                    retryOwnAt = 0; // whatever this consumer read may be unacknowledged: route it again
                    sleep(500);
                }
            }
        }
    }

    private static final long NEVER = Long.MAX_VALUE;

    /** One write an inbox entry needs: an XADD to a listener's stream ({@code target}) or to the dead letters (null). */
    private record Write(String target, RFuture<?> reply) {
    }

    /** 0.2, 0.4, 0.8 ... 5 s between rounds of entries Redis keeps refusing. */
    private static long backoff(int round) {
        return Math.min(5_000L, 200L << Math.min(round, 5));
    }

    /**
     * Checks and routes one batch; returns true if every entry was acknowledged. An entry is
     * acknowledged only after every write it needed (an XADD per listener, or its dead letter)
     * succeeded: Redis runs each command of a pipeline on its own, so one refused XADD (wrong type,
     * out of memory, no permission) must not be followed by the XACK that would drop the event.
     * Entries left pending are read again by this consumer, with their delivery count rising, and
     * dead-lettered with reason {@code delivery-limit} and the last Redis error once it passes
     * {@code maxDeliveries}.
     */
    private boolean route(RStream<String, String> inbox, Map<StreamMessageId, Map<String, String>> batch, boolean redelivered) {
        Routes r = currentRoutes();
        Map<StreamMessageId, Long> deliveryCounts = redelivered ? DeliveryCounts.read(inbox, RedisKeys.BROKER_GROUP, batch.keySet()) : Map.of();
        RBatch pipeline = redisson.createBatch();
        Map<String, org.redisson.api.RStreamAsync<byte[], byte[]>> outputs = new java.util.HashMap<>();
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
                if (reads > maxDeliveries) {
                    String last = lastErrors.get(e.getKey());
                    throw new Refused(DeliveryCounts.REASON, "read " + reads + " times without being routed (max deliveries "
                            + maxDeliveries + "); last error: " + (last != null ? last : "unknown (another broker held it)"));
                }
                List<String> targets;
                try {
                    targets = check(raw, fields, r);
                } catch (RuntimeException bug) {
                    // never let one entry block the inbox: an unexpected failure is a refusal too
                    throw new Refused("internal-error", bug.toString());
                }
                Set<String> reached = delivered.get(e.getKey()); // targets a refused earlier round did reach
                if (reached != null) {
                    targets = targets.stream().filter(t -> !reached.contains(t)).toList();
                }
                if (!targets.isEmpty()) {
                    byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8); // encoded once for every listener
                    StreamAddArgs<byte[], byte[]> entry = RedisKeys.eventEntry(utf8);
                    for (String service : targets) {
                        // one stream object per listener and batch, not per event (key string, object)
                        org.redisson.api.RStreamAsync<byte[], byte[]> out = outputs.get(service);
                        if (out == null) {
                            out = pipeline.getStream(keys.serviceStream(service), ByteArrayCodec.INSTANCE);
                            outputs.put(service, out);
                        }
                        entryWrites.add(new Write(service, out.addAsync(entry)));
                    }
                }
                routedHere++;
                deliveriesHere += targets.size();
                if (targets.isEmpty()) {
                    unroutedHere++;
                }
            } catch (Refused refused) {
                if (now == null) {
                    now = Envelope.now();
                }
                String copy = raw == null ? fieldsJson(fields)
                        : refused.reason.equals("too-large") ? raw.substring(0, Math.min(raw.length(), DEAD_LETTER_COPY_CHARS)) : raw;
                Map<String, String> dead = DeadLetter.entry(copy, refused.reason,
                        refused.getMessage(), 0, now, id);
                entryWrites.add(new Write(null, pipeline.<String, String>getStream(keys.brokerDead(), StringCodec.INSTANCE)
                        .addAsync(StreamAddArgs.entries(dead))));
                deadHere++;
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
                if (failed == null && write.target() != null) {
                    delivered.computeIfAbsent(w.getKey(), k -> ConcurrentHashMap.newKeySet()).add(write.target());
                } else if (failed != null && error == null) {
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
            inbox.ack(RedisKeys.BROKER_GROUP, done.toArray(new StreamMessageId[0])); // if this fails: duplicates, never a loss
            for (StreamMessageId d : done) {
                lastErrors.remove(d);
                delivered.remove(d);
            }
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
                    + " (dead-lettered after {} deliveries): {}", failed, batch.size(), maxDeliveries, firstError);
            return false;
        }
        return true;
    }

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** The services to deliver to, or a refusal with its reason. */
    private List<String> check(String raw, Map<String, String> fields, Routes r) throws Refused {
        if (raw == null) {
            throw new Refused("malformed", "inbox entry without an 'event' field (fields: " + (fields == null ? "none" : fields.keySet()) + ")");
        }
        if (Envelope.exceeds(raw, maxEnvelopeBytes)) {
            throw new Refused("too-large", "the entry is " + raw.getBytes(StandardCharsets.UTF_8).length + " bytes, more than the limit of "
                    + maxEnvelopeBytes + " (--max-envelope-bytes); the dead letter keeps its first " + DEAD_LETTER_COPY_CHARS + " chars");
        }
        Envelope env;
        try {
            env = Envelope.parse(raw);
        } catch (HeraldException e) {
            throw new Refused("malformed", e.getMessage());
        }
        Catalog.EventInfo info = catalog.event(env.type()).orElseThrow(() ->
                new Refused("unknown-type", "unknown event type '" + env.type() + "'"));
        int version = env.version();
        if (version < 0) {
            throw new Refused("malformed", "dataschema '" + env.dataschema() + "' does not name herald:" + env.type() + "/v<N>");
        }
        if (!info.schemas().containsKey(version)) {
            throw new Refused("unknown-version", "unknown version " + version + " of " + env.type() + " (known: " + info.versions() + ")");
        }
        String sender = env.sourceService();
        if (info.owner() != null && !info.owner().equals(sender)) {
            throw new Refused("wrong-owner", "source '" + env.source() + "' may not send " + env.type()
                    + " (x-owner: " + info.owner() + ")");
        }
        List<String> violations;
        try {
            violations = catalog.validateData(env.type(), version, env.data());
        } catch (RuntimeException e) {
            throw new Refused("invalid-data", "cannot validate: " + e.getMessage());
        }
        if (!violations.isEmpty()) {
            throw new Refused("invalid-data", String.join("; ", violations));
        }
        List<String> targets = r.targets(env.type());
        if (sender != null && targets.contains(sender)) {
            List<String> others = new ArrayList<>(targets);
            others.remove(sender);
            return others;
        }
        return targets;
    }

    private static String fieldsJson(Map<String, String> fields) {
        try {
            return Json.mapper().writeValueAsString(fields);
        } catch (Exception e) {
            return String.valueOf(fields);
        }
    }

    // ------------------------------------------------------------------ registrations

    /** Registrations as of one registry version, with the listeners per event type computed lazily. */
    private static final class Routes {
        final String version;
        final Map<String, Registration> registrations;
        final Map<String, List<String>> byType = new ConcurrentHashMap<>();

        Routes(String version, Map<String, Registration> registrations) {
            this.version = version;
            this.registrations = registrations;
        }

        List<String> targets(String type) {
            return byType.computeIfAbsent(type, t -> registrations.values().stream()
                    .filter(reg -> reg.listensTo(t)).map(Registration::service).sorted().toList());
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
        String read = redisson.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).get();
        String version = read == null ? "" : read;
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
            Map<String, Registration> regs = Messenger.readRegistrations(redisson, keys, unreadable);
            Routes fresh = new Routes(version, regs);
            routes = fresh;
            LOG.info("registrations changed: {}", describe(regs));
            if (!unreadable.isEmpty() && !unreadable.equals(unreadableRegistrations)) {
                LOG.error("broker ignores {} unreadable registrations in {} (their services get no events until they"
                        + " register again; every other route works): {}", unreadable.size(), keys.registrations(), unreadable);
            }
            unreadableRegistrations = Map.copyOf(unreadable);
            return fresh;
        }
    }

    private static String describe(Map<String, Registration> regs) {
        StringBuilder b = new StringBuilder();
        regs.forEach((s, reg) -> b.append(b.length() == 0 ? "" : ", ").append(s).append(" <- ").append(reg.listensTo()));
        return b.length() == 0 ? "none" : b.toString();
    }

    // ------------------------------------------------------------------ maintenance

    private void trim() {
        try {
            Worker.trimAcknowledged(redisson.getStream(keys.inbox(), StringCodec.INSTANCE), RedisKeys.BROKER_GROUP);
        } catch (RuntimeException e) {
            LOG.debug("trim: {}", e.toString());
        }
    }

    private void beat() {
        try {
            Map<String, Object> hb = new LinkedHashMap<>();
            hb.put("id", id);
            hb.put("lastSeen", System.currentTimeMillis());
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
