package dev.herald.broker;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.DeadLetters;
import dev.herald.runtime.Envelope;
import dev.herald.runtime.HeraldException;
import dev.herald.runtime.Json;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import dev.herald.runtime.Worker;
import org.redisson.api.RBatch;
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
 * per listener per event, an {@code XADD} to the broker's dead-letter stream per refused entry
 * and one {@code XACK} for the whole batch, last. A crash before the acknowledgement gives a
 * duplicate, never a loss. Any number of brokers can run: they share the group; entries a dead
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
    private final String id;
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

    private Broker(Builder b) {
        this.redisson = b.redisson;
        this.catalog = b.catalog != null ? b.catalog : Catalog.fromClasspath();
        this.keys = new RedisKeys(b.namespace != null ? b.namespace : catalog.namespace() != null ? catalog.namespace() : "herald");
        this.concurrency = b.concurrency;
        this.batchSize = b.batchSize;
        this.claimIdleMs = b.claimIdle.toMillis();
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

    // ------------------------------------------------------------------ routing

    private void loop(String consumer) {
        RStream<String, String> inbox = redisson.getStream(keys.inbox(), StringCodec.INSTANCE);
        long nextClaim = System.currentTimeMillis() + Math.max(100, claimIdleMs / 4);
        boolean recoverOwn = false;
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
                        route(inbox, claimed.getMessages());
                        continue;
                    }
                }
                if (recoverOwn) {
                    // a pipeline failed: route again what this consumer read but did not acknowledge
                    Map<StreamMessageId, Map<String, String>> own = inbox.readGroup(RedisKeys.BROKER_GROUP, consumer,
                            StreamReadGroupArgs.greaterThan(new StreamMessageId(0, 0)).count(batchSize));
                    if (own != null && !own.isEmpty()) {
                        route(inbox, own);
                        continue;
                    }
                    recoverOwn = false;
                }
                // after a full batch more entries are likely waiting: read without BLOCK (Redisson's
                // completion of a blocking command is costly); block only when the last read came short
                StreamReadGroupArgs args = StreamReadGroupArgs.neverDelivered().count(batchSize);
                Map<StreamMessageId, Map<String, String>> batch = inbox.readGroup(RedisKeys.BROKER_GROUP, consumer,
                        lastReadFull ? args : args.timeout(Duration.ofMillis(500)));
                lastReadFull = batch != null && batch.size() >= batchSize;
                if (batch != null && !batch.isEmpty()) {
                    route(inbox, batch);
                    if (batch.size() < batchSize && READ_LINGER_NANOS > 0) {
                        // low rate: let a few events gather so one read, GET and XACK serve several
                        LockSupport.parkNanos(READ_LINGER_NANOS);
                    }
                }
            } catch (RuntimeException e) {
                if (!running || redisson.isShutdown()) {
                    return;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    Messenger.ensureGroup(redisson, keys.inbox(), RedisKeys.BROKER_GROUP);
                } else {
                    LOG.warn("broker {}: {}", consumer, e.toString());
                    recoverOwn = true;
                    sleep(500);
                }
            }
        }
    }

    private void route(RStream<String, String> inbox, Map<StreamMessageId, Map<String, String>> batch) {
        Routes r = currentRoutes();
        RBatch pipeline = redisson.createBatch();
        Map<String, org.redisson.api.RStreamAsync<byte[], byte[]>> outputs = new java.util.HashMap<>();
        StreamMessageId[] ids = new StreamMessageId[batch.size()];
        int i = 0;
        long routedHere = 0;
        long deliveriesHere = 0;
        long deadHere = 0;
        long unroutedHere = 0;
        String now = null;
        for (Map.Entry<StreamMessageId, Map<String, String>> e : batch.entrySet()) {
            ids[i++] = e.getKey();
            Map<String, String> fields = e.getValue();
            String raw = fields == null ? null : fields.get(RedisKeys.FIELD_EVENT);
            try {
                List<String> targets;
                try {
                    targets = check(raw, fields, r);
                } catch (RuntimeException bug) {
                    // never let one entry block the inbox: an unexpected failure is a refusal too
                    throw new Refused("internal-error", bug.toString());
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
                        out.addAsync(entry);
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
                Map<String, String> dead = new LinkedHashMap<>();
                dead.put("event", raw != null ? raw : fieldsJson(fields));
                dead.put("reason", refused.reason);
                dead.put("error", refused.getMessage());
                dead.put("attempts", "0");
                dead.put("failedAt", now);
                dead.put("by", id);
                pipeline.<String, String>getStream(keys.brokerDead(), StringCodec.INSTANCE).addAsync(StreamAddArgs.entries(dead));
                deadHere++;
            }
        }
        pipeline.<String, String>getStream(keys.inbox(), StringCodec.INSTANCE).ackAsync(RedisKeys.BROKER_GROUP, ids);
        pipeline.execute();
        received.addAndGet(ids.length);
        routed.addAndGet(routedHere);
        deliveries.addAndGet(deliveriesHere);
        deadLettered.addAndGet(deadHere);
        unrouted.addAndGet(unroutedHere);
        batches.incrementAndGet();
        if (deadHere > 0) {
            LOG.warn("broker refused {} inbox entries (see the dead-letter stream {})", deadHere, keys.brokerDead());
        }
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
            Map<String, Registration> regs = Messenger.readRegistrations(redisson, keys);
            Routes fresh = new Routes(version, regs);
            routes = fresh;
            LOG.info("registrations changed: {}", describe(regs));
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

    public boolean running() {
        return running;
    }

    /** Counters since start. */
    public Stats stats() {
        return new Stats(received.get(), routed.get(), deliveries.get(), unrouted.get(), deadLettered.get(), batches.get());
    }

    /**
     * @param received     inbox entries processed
     * @param routed       valid events (delivered to every listener, maybe none)
     * @param deliveries   appends to service streams
     * @param unrouted     valid events nobody listens to
     * @param deadLettered refused entries
     * @param batches      pipelines sent
     */
    public record Stats(long received, long routed, long deliveries, long unrouted, long deadLettered, long batches) {
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
