package dev.herald.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.internal.RecordValidation;
import org.redisson.Redisson;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RMap;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A service's connection to the bus: registers what it listens to, sends typed events, and builds
 * {@link Worker}s that receive them.
 *
 * <pre>{@code
 * Messenger m = Messenger.builder().redisUrl("redis://localhost:6379")
 *         .service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED).listensTo("account.*").build();
 * m.register().join();                 // from now on every order.created reaches payment
 * m.worker().on(OrderCreated.class, (event, ctx) -> charge(event)).start();
 * m.send(new PaymentCompleted(...));
 * }</pre>
 */
public final class Messenger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Messenger.class);
    static final long HEARTBEAT_MS = 5_000;
    static final long LIVE_MS = 15_000;

    private final RedissonClient redisson;
    private final boolean ownsRedisson;
    private final String service;
    private final List<String> listensTo;
    private final RedisKeys keys;
    private final Catalog catalog;
    private final boolean enableWorkers;
    private final String instanceId;
    private final int maxEnvelopeBytes;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeat;
    private volatile boolean closed;

    private Messenger(Builder b) {
        this.catalog = b.catalog != null ? b.catalog : Catalog.fromClasspath();
        if (b.redisson != null) {
            this.redisson = b.redisson;
            this.ownsRedisson = false;
        } else if (b.redisUrl != null) {
            this.redisson = createClient(b.redisUrl);
            this.ownsRedisson = true;
        } else {
            throw new IllegalStateException("a Messenger needs redisson(client) or redisUrl(url)");
        }
        if (b.service == null) {
            throw new IllegalStateException("a Messenger needs service(...)");
        }
        this.service = b.service;
        this.maxEnvelopeBytes = b.maxEnvelopeBytes;
        warnIfStreamsMayBeEvicted(redisson);
        this.listensTo = List.copyOf(b.listensTo);
        this.keys = new RedisKeys(b.namespace != null ? b.namespace : catalog.namespace() != null ? catalog.namespace() : "herald");
        this.enableWorkers = b.enableWorkers;
        this.instanceId = service + "-" + host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-heartbeat-" + service);
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::beat, 0, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }

    /** A Redisson client for a {@code redis://host:port} URL with the bus's settings. */
    public static RedissonClient createClient(String redisUrl) {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        // Redisson defaults to 32 Netty threads per client: every process of the bus holds a few
        // connections, and on small machines the extra threads only add context switches. Redis
        // answers on one thread anyway; one Netty thread per two cores keeps up with it (on 2 cores:
        // 1 thread, 8-10 % less CPU per event in the bus benchmark than 2).
        int cores = Runtime.getRuntime().availableProcessors();
        config.setNettyThreads(Integer.getInteger("herald.redis.nettyThreads", Math.max(1, cores / 2)));
        config.setThreads(Integer.getInteger("herald.redis.threads", Math.max(2, cores)));
        config.useSingleServer().setAddress(redisUrl)
                .setConnectionMinimumIdleSize(4)
                .setConnectionPoolSize(64)
                .setTimeout(10_000)
                .setRetryAttempts(3);
        return Redisson.create(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Messenger}. */
    public static final class Builder {
        private RedissonClient redisson;
        private String redisUrl;
        private String service;
        private final Set<String> listensTo = new LinkedHashSet<>();
        private String namespace;
        private boolean enableWorkers = true;
        private Catalog catalog;
        private int maxEnvelopeBytes = Envelope.DEFAULT_MAX_BYTES;

        public Builder redisson(RedissonClient client) {
            this.redisson = client;
            return this;
        }

        public Builder redisUrl(String url) {
            this.redisUrl = url;
            return this;
        }

        public Builder service(ServiceDescriptor s) {
            return service(s.wireName());
        }

        public Builder service(String wireName) {
            this.service = wireName;
            return this;
        }

        public Builder listensTo(EventDescriptor... events) {
            for (EventDescriptor e : events) {
                listensTo.add(e.wireName());
            }
            return this;
        }

        /** Event names or patterns ({@code order.*}, {@code **}); see {@link EventPattern}. */
        public Builder listensTo(String... patterns) {
            for (String p : patterns) {
                EventPattern.check(p);
                listensTo.add(p);
            }
            return this;
        }

        public Builder namespace(String ns) {
            this.namespace = ns;
            return this;
        }

        /** False: this instance sends but never consumes (canary deployments). Default true. */
        public Builder enableWorkers(boolean enable) {
            this.enableWorkers = enable;
            return this;
        }

        /** The largest event this messenger sends, as UTF-8 JSON with its envelope (default 1 MiB, as the broker's). */
        public Builder maxEnvelopeBytes(int bytes) {
            this.maxEnvelopeBytes = Envelope.checkedMaxBytes(bytes);
            return this;
        }

        /** The catalog; default: the one on the class path. */
        public Builder catalog(Catalog c) {
            this.catalog = c;
            return this;
        }

        public Messenger build() {
            return new Messenger(this);
        }
    }

    // ------------------------------------------------------------------ registration

    /**
     * Stores this service's registration in Redis and creates its stream and consumer group.
     * Once the future completes, every event sent afterwards that the listeners match reaches
     * this service's stream (the brokers re-read registrations when the registry version — a
     * random token replaced by every register() in the same MULTI as the registration — changes,
     * checked for every batch they read). Registering again with other listeners replaces them.
     */
    public CompletableFuture<Void> register() {
        ensureGroup(redisson, keys.serviceStream(service), RedisKeys.WORKER_GROUP);
        Registration reg = new Registration(service, listensTo, Envelope.now(), instanceId);
        RBatch batch = redisson.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.REDIS_WRITE_ATOMIC));
        batch.<String, String>getMap(keys.registrations(), StringCodec.INSTANCE).fastPutAsync(service, reg.toJson());
        batch.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).setAsync(UUID.randomUUID().toString());
        return batch.executeAsync().toCompletableFuture().thenApply(r -> null);
    }

    /**
     * Removes this service's registration (a service retired, or renamed): once the future
     * completes, brokers route no event sent afterwards to it. What its stream already holds stays
     * there for its workers to finish.
     */
    public CompletableFuture<Void> unregister() {
        RBatch batch = redisson.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.REDIS_WRITE_ATOMIC));
        batch.<String, String>getMap(keys.registrations(), StringCodec.INSTANCE).fastRemoveAsync(service);
        batch.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).setAsync(UUID.randomUUID().toString());
        return batch.executeAsync().toCompletableFuture().thenApply(r -> null);
    }

    /** Every registration in Redis, by service. */
    public Map<String, Registration> registrations() {
        return readRegistrations(redisson, keys, new java.util.HashMap<>());
    }

    /** Every readable registration stored under {@code keys}, by service; unreadable ones go to {@code unreadable}. */
    public static Map<String, Registration> readRegistrations(RedissonClient redisson, RedisKeys keys, Map<String, String> unreadable) {
        RMap<String, String> map = redisson.getMap(keys.registrations(), StringCodec.INSTANCE);
        return Registration.readAll(map.readAllMap(), unreadable);
    }

    private static void warnIfStreamsMayBeEvicted(RedissonClient redisson) {
        try {
            RedisSettings settings = RedisSettings.read(redisson);
            if (settings.mayEvictStreams()) {
                LOG.warn("EVENTS MAY BE LOST: {}", settings.risks().get(0));
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read Redis INFO to check its eviction policy ({}); make sure maxmemory-policy is noeviction", e.toString());
        }
    }

    /** Creates a stream's consumer group at the beginning of the stream, if missing. */
    public static void ensureGroup(RedissonClient redisson, String streamKey, String group) {
        RStream<String, String> stream = redisson.getStream(streamKey, StringCodec.INSTANCE);
        try {
            stream.createGroup(StreamCreateGroupArgs.name(group).id(StreamMessageId.ALL).makeStream());
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                return;
            }
            // Redis at maxmemory refuses XGROUP CREATE before it sees that the group exists: a
            // restart under memory pressure must still start when there is nothing to create
            if (e instanceof org.redisson.client.RedisOutOfMemoryException
                    && stream.isExists() && stream.listGroups().stream().anyMatch(g -> g.getName().equals(group))) {
                return;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ sending

    /** Validates, wraps and sends one event; returns its id. */
    public String send(HeraldEvent event) {
        return send(event, SendOptions.DEFAULT);
    }

    public String send(HeraldEvent event, SendOptions options) {
        return sendAsync(event, options).join();
    }

    /** Validation happens before this returns (a violation throws); the future completes once Redis has the event. */
    public CompletableFuture<String> sendAsync(HeraldEvent event) {
        return sendAsync(event, SendOptions.DEFAULT);
    }

    public CompletableFuture<String> sendAsync(HeraldEvent event, SendOptions options) {
        Prepared p = prepare(event, options);
        if (!options.notifySelf()) {
            RStream<byte[], byte[]> inbox = redisson.getStream(keys.inbox(), ByteArrayCodec.INSTANCE);
            return inbox.addAsync(RedisKeys.eventEntry(p.utf8())).toCompletableFuture().thenApply(id -> p.id);
        }
        RBatch batch = redisson.createBatch();
        addTo(batch, p, true);
        return batch.executeAsync().toCompletableFuture().thenApply(r -> p.id);
    }

    /** Validates every event first (one violation: nothing is sent), then sends them in one pipeline. */
    public List<String> sendAll(Collection<? extends HeraldEvent> events) {
        return sendAll(events, SendOptions.DEFAULT);
    }

    public List<String> sendAll(Collection<? extends HeraldEvent> events, SendOptions options) {
        List<Prepared> prepared = new ArrayList<>(events.size());
        for (HeraldEvent e : events) {
            prepared.add(prepare(e, options));
        }
        RBatch batch = redisson.createBatch();
        List<String> ids = new ArrayList<>(prepared.size());
        // one stream object per batch, not per event
        org.redisson.api.RStreamAsync<byte[], byte[]> inbox = batch.getStream(keys.inbox(), ByteArrayCodec.INSTANCE);
        org.redisson.api.RStreamAsync<byte[], byte[]> own = options.notifySelf() ? batch.getStream(keys.serviceStream(service), ByteArrayCodec.INSTANCE) : null;
        for (Prepared p : prepared) {
            StreamAddArgs<byte[], byte[]> entry = RedisKeys.eventEntry(p.utf8());
            inbox.addAsync(entry);
            if (own != null) {
                own.addAsync(entry);
            }
            ids.add(p.id);
        }
        batch.execute();
        return ids;
    }

    private void addTo(RBatch batch, Prepared p, boolean notifySelf) {
        byte[] utf8 = p.utf8();
        batch.<byte[], byte[]>getStream(keys.inbox(), ByteArrayCodec.INSTANCE).addAsync(RedisKeys.eventEntry(utf8));
        if (notifySelf) {
            batch.<byte[], byte[]>getStream(keys.serviceStream(service), ByteArrayCodec.INSTANCE).addAsync(RedisKeys.eventEntry(utf8));
        }
    }

    /**
     * Publishes an event to every live instance of every service that listens to it (cache
     * clearing and the like). Weaker than {@link #send}: Redis pub/sub, at most once, only
     * instances connected at that moment with a running worker; no retry, no dead letter, no
     * broker validation beyond what this sender checks. Returns how many instances received it.
     */
    public long broadcast(HeraldEvent event) {
        Prepared p = prepare(event, SendOptions.DEFAULT);
        return redisson.getTopic(keys.broadcastChannel(), StringCodec.INSTANCE).publish(p.json);
    }

    private record Prepared(String id, String json) {
        byte[] utf8() {
            return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Prepared prepare(HeraldEvent event, SendOptions options) {
        if (event == null) {
            throw new IllegalArgumentException("event is null");
        }
        Catalog.EventInfo info = catalog.eventFor(event.getClass()).orElseThrow(() -> new HeraldException(
                event.getClass().getName() + " is not an event of the catalog on the class path"));
        if (info.owner() != null && !info.owner().equals(service)) {
            throw new EventValidationException(info.name(), List.of("source: service '" + service
                    + "' may not send " + info.name() + " (x-owner: " + info.owner() + ")"));
        }
        List<String> violations = RecordValidation.violations(event);
        if (!violations.isEmpty()) {
            throw new EventValidationException(info.name(), violations);
        }
        String id = Envelope.newId();
        String tp = options.traceparent() != null ? options.traceparent() : Envelope.newTraceparent();
        String json = Envelope.write(id, Envelope.sourceOf(service), info.name(), Envelope.dataschemaOf(info.name(), info.version()),
                Envelope.now(), tp, event);
        if (Envelope.exceeds(json, maxEnvelopeBytes)) {
            throw new EventValidationException(info.name(), List.of("the event is " + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + " bytes as JSON, more than the limit of " + maxEnvelopeBytes + " (Messenger.builder().maxEnvelopeBytes, and the"
                    + " broker's --max-envelope-bytes); put large payloads in a store and send a reference"));
        }
        return new Prepared(id, json);
    }

    // ------------------------------------------------------------------ receiving

    /** A worker builder for this service; see {@link Worker}. */
    public Worker.Builder worker() {
        return new Worker.Builder(this);
    }

    void started(Worker w) {
        workers.add(w);
    }

    void stopped(Worker w) {
        workers.remove(w);
    }

    /** The service's dead letters. */
    public DeadLetters deadLetters() {
        return deadLetters(service);
    }

    public DeadLetters deadLetters(String otherService) {
        return new DeadLetters(redisson, keys.serviceDead(otherService), keys.serviceStream(otherService));
    }

    /** The result a handler of this service returned for an event, if still retained. */
    public Optional<JsonNode> result(String eventId) {
        return Worker.readResult(redisson, keys, service, eventId);
    }

    /** Instances of a service whose heartbeat is recent (beat every 5 s, live for 15 s). */
    public List<Instance> liveInstances(String ofService) {
        RMap<String, String> map = redisson.getMap(keys.serviceInstances(ofService), StringCodec.INSTANCE);
        long now = System.currentTimeMillis();
        List<Instance> out = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        map.readAllMap().forEach((id, json) -> {
            try {
                Instance i = Json.mapper().readValue(json, Instance.class);
                if (now - i.lastSeen() <= LIVE_MS) {
                    out.add(i);
                } else {
                    stale.add(id);
                }
            } catch (Exception e) {
                stale.add(id);
            }
        });
        if (!stale.isEmpty()) {
            map.fastRemove(stale.toArray(new String[0]));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    /** One heartbeat: instance id, host, whether it consumes, workers running, last beat (epoch ms). */
    public record Instance(String id, String host, boolean workersEnabled, int workers, long lastSeen) {
    }

    private void beat() {
        if (closed) {
            return;
        }
        try {
            Instance i = new Instance(instanceId, host(), enableWorkers, workers.size(), System.currentTimeMillis());
            redisson.<String, String>getMap(keys.serviceInstances(service), StringCodec.INSTANCE)
                    .fastPut(instanceId, Json.mapper().writeValueAsString(i));
        } catch (Exception e) {
            LOG.debug("heartbeat failed: {}", e.toString());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    // ------------------------------------------------------------------ accessors

    public String service() {
        return service;
    }

    public List<String> listensTo() {
        return listensTo;
    }

    boolean listens(String eventName) {
        for (String p : listensTo) {
            if (EventPattern.matches(p, eventName)) {
                return true;
            }
        }
        return false;
    }

    public RedisKeys keys() {
        return keys;
    }

    public Catalog catalog() {
        return catalog;
    }

    public RedissonClient redisson() {
        return redisson;
    }

    public boolean workersEnabled() {
        return enableWorkers;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Stops every worker of this messenger (draining in-flight work), the heartbeat, and an own Redis client. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : List.copyOf(workers)) {
            w.close();
        }
        heartbeat.shutdownNow();
        try {
            if (!redisson.isShutdown()) {
                redisson.<String, String>getMap(keys.serviceInstances(service), StringCodec.INSTANCE).fastRemove(instanceId);
            }
        } catch (Exception e) {
            LOG.debug("cannot remove heartbeat: {}", e.toString());
        }
        if (ownsRedisson) {
            redisson.shutdown();
        }
    }

    /** Parses an RFC 3339 UTC time; the common {@code yyyy-MM-ddTHH:mm:ss[.f]Z} form without DateTimeFormatter. */
    static Instant parseTime(String t) {
        if (t == null) {
            return null;
        }
        try {
            int n = t.length();
            if (n >= 20 && t.charAt(n - 1) == 'Z' && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T'
                    && t.charAt(13) == ':' && t.charAt(16) == ':') {
                int nanos = 0;
                if (n > 20) {
                    if (t.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                        return Instant.parse(t);
                    }
                    int digits = n - 21;
                    nanos = digits(t, 20, n - 1);
                    for (int i = digits; i < 9; i++) {
                        nanos *= 10;
                    }
                }
                java.time.LocalDateTime ldt = java.time.LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10),
                        digits(t, 11, 13), digits(t, 14, 16), digits(t, 17, 19), nanos);
                return ldt.toInstant(java.time.ZoneOffset.UTC);
            }
            return Instant.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

}
