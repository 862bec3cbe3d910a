package dev.herald.runtime;

import dev.herald.schema.EventPattern;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.internal.RecordValidation;
import dev.herald.runtime.stream.ConsumerGroup;
import dev.herald.runtime.stream.Registry;
import dev.herald.runtime.stream.Threads;
import dev.herald.runtime.stream.Topics;
import org.redisson.api.RBatch;
import org.redisson.api.RMap;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
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
    /** An instance whose heartbeat is older than this counts as gone (three default beats). */
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
    private final long sendTimeoutMs;
    /** This service's consumer group on the topics ({@link RedisKeys#topicGroup(String, String)}). */
    private final String topicGroup;
    private final BusMetrics metrics;
    private final BusTracing tracing;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeat;
    private final Registry registry;
    private final Topics topics;
    /** The event types this messenger has put among the known topics ({@link Topics#announce}). */
    private final Set<String> announced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** This instance's registration once {@link #register} was called, refreshed by the heartbeat. */
    private volatile Registration registration;
    private volatile long registeredAt;
    /** Sends not yet answered by Redis; {@link #close} waits for them. */
    private final java.util.concurrent.atomic.AtomicInteger sending = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;
    private volatile List<Instance> peers = List.of();
    private volatile long peersReadAt;

    private Messenger(Builder b) {
        this.catalog = b.catalog != null ? b.catalog : Catalog.fromClasspath();
        if (b.redisson != null) {
            this.redisson = b.redisson;
            this.ownsRedisson = false;
        } else if (b.connection != null) {
            this.redisson = b.connection.connect();
            this.ownsRedisson = true;
        } else {
            throw new IllegalStateException("a Messenger needs redis(connection), redisUrl(url) or redisson(client)");
        }
        if (b.service == null) {
            throw new IllegalStateException("a Messenger needs service(...)");
        }
        this.service = b.service;
        this.maxEnvelopeBytes = b.maxEnvelopeBytes;
        this.sendTimeoutMs = b.sendTimeout.toMillis();
        this.metrics = b.metrics;
        this.tracing = b.tracing != null ? b.tracing : BusTracing.detect();
        this.topicGroup = RedisKeys.topicGroup(service, b.groupSecret != null ? b.groupSecret : System.getenv(ENV_GROUP_SECRET));
        warnIfStreamsMayBeEvicted(redisson);
        this.listensTo = List.copyOf(b.listensTo);
        this.keys = new RedisKeys(b.namespace != null ? b.namespace : catalog.namespace() != null ? catalog.namespace() : "herald");
        this.enableWorkers = b.enableWorkers;
        this.instanceId = service + "-" + host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.registry = new Registry(redisson, keys);
        this.topics = new Topics(redisson, keys);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(Threads.daemons("herald-heartbeat-" + service));
        heartbeat.scheduleAtFixedRate(this::beat, 0, b.heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The environment variable {@link Builder#groupSecret} is read from when not given. */
    public static final String ENV_GROUP_SECRET = "HERALD_GROUP_SECRET";

    /** Builds a {@link Messenger}. */
    public static final class Builder {
        private RedissonClient redisson;
        private RedisConnection connection;
        private String service;
        private final Set<String> listensTo = new LinkedHashSet<>();
        private String namespace;
        private boolean enableWorkers = true;
        private Catalog catalog;
        private int maxEnvelopeBytes = Envelope.DEFAULT_MAX_BYTES;
        private java.time.Duration heartbeat = java.time.Duration.ofSeconds(5);
        private java.time.Duration sendTimeout = java.time.Duration.ofSeconds(60);
        private String groupSecret;
        private BusMetrics metrics = BusMetrics.NONE;
        private BusTracing tracing;

        public Builder redisson(RedissonClient client) {
            this.redisson = client;
            return this;
        }

        /** One Redis server; credentials from {@link RedisConnection#ENV_USERNAME}/{@link RedisConnection#ENV_PASSWORD} when set. */
        public Builder redisUrl(String url) {
            return redis(RedisConnection.url(url).withCredentialsFrom(System.getenv()));
        }

        /** How to reach Redis: one server, a Redis Cluster, or Redisson's YAML file (the Messenger creates and closes the client). */
        public Builder redis(RedisConnection c) {
            this.connection = c;
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

        /**
         * How long a send waits for Redis's answer before it fails (default 60 s): the event may or
         * may not be stored then, and sending it again gives at most a duplicate. Without a bound a
         * send could wait for ever: Redisson's pipeline with {@code WAIT} did not complete across a
         * primary failover on Redis Cluster (found by ClusterBusTest).
         */
        public Builder sendTimeout(java.time.Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("sendTimeout must be positive: " + d);
            }
            this.sendTimeout = d;
            return this;
        }

        /**
         * A secret shared by the instances of this service (default: {@value #ENV_GROUP_SECRET}
         * from the environment, else none), from which its consumer group's name on the topics is
         * made: with Redis ACL users, the other services listening to the same events cannot read
         * or acknowledge as this service's group, because they cannot name it (docs/security.md).
         * Changing it gives the service a new group: during the change each event reaches the old
         * and the new one (handled twice), and brokers remove the old group once no instance uses it.
         */
        public Builder metrics(BusMetrics m) {
            this.metrics = m == null ? BusMetrics.NONE : m;
            return this;
        }

        /**
         * Where sends and handler runs become spans (default {@link BusTracing#detect}: the global
         * OpenTelemetry if its API is on the class path); {@link BusTracing#NONE} for none.
         */
        public Builder tracing(BusTracing t) {
            this.tracing = t;
            return this;
        }

        public Builder groupSecret(String secret) {
            this.groupSecret = secret;
            return this;
        }

        /** The largest event this messenger sends, as UTF-8 JSON with its envelope (default 1 MiB, as the broker's). */
        public Builder maxEnvelopeBytes(int bytes) {
            this.maxEnvelopeBytes = Envelope.checkedMaxBytes(bytes);
            return this;
        }

        /**
         * How often this instance says it is alive (default 5 s, at most 5 s): its entry in
         * {@link #liveInstances} and its registration's last-seen time, which the brokers'
         * registration retention counts from.
         */
        public Builder heartbeat(java.time.Duration every) {
            if (every == null || every.toMillis() < 10 || every.toMillis() > 5_000) {
                throw new IllegalArgumentException("heartbeat must be between 10 ms and 5 s, got " + every);
            }
            this.heartbeat = every;
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
     * Stores this instance's registration in Redis and creates the service's stream and consumer
     * group. Once the future completes, every event sent afterwards that the listeners match
     * reaches this service's stream (the brokers re-read registrations when the registry version —
     * a random token replaced with every registration change, atomically — changes, checked for
     * every batch they read).
     *
     * <p>Each instance registers for itself, and a service receives the union of what its
     * instances listen to: during a rolling deploy or with a canary, old and new versions each
     * keep their event types. The heartbeat keeps the registration alive (and writes it again if it
     * was removed); a service whose instances are all gone for longer than the brokers'
     * registration retention (default 7 days) stops receiving events. Until then its events queue.
     * An instance that closed cleanly counts only while no instance of its service runs: once the
     * old version of a rolling deploy has stopped, what only it listened to is no longer routed.
     */
    public CompletableFuture<Void> register() {
        ConsumerGroup.ensure(redisson, keys.serviceStream(service), RedisKeys.WORKER_GROUP);
        // the groups before the registration: once it is stored, every event of these types sent
        // afterwards is in a group of this service (brokers add the types this catalog does not know)
        Set<String> types = listenedTypes();
        for (String type : types) {
            topics.ensureGroup(type, topicGroup, null);
        }
        if (!types.isEmpty()) {
            RBatch batch = redisson.createBatch();
            topics.announce(batch, types);
            batch.execute();
        }
        long at = System.currentTimeMillis();
        Registration reg = new Registration(service, listensTo, Envelope.now(), instanceId, null,
                topicGroup.equals(RedisKeys.topicGroup(service)) ? null : topicGroup);
        return registry.register(reg).thenRun(() -> {
            registeredAt = at;
            registration = reg;
        });
    }

    /**
     * Removes this instance's registration (a service retired, or this instance stops listening
     * for good): once the future completes and no other instance of the service listens to an
     * event, brokers route no event sent afterwards to it. What its stream already holds stays
     * there for its workers to finish. {@link #close} does not unregister: a restarting service
     * keeps receiving.
     */
    public CompletableFuture<Void> unregister() {
        // on the heartbeat's thread: a beat already past its read of the registration cannot write it back afterwards
        CompletableFuture<Void> stopBeating;
        try {
            stopBeating = CompletableFuture.runAsync(() -> registration = null, heartbeat);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            registration = null;
            stopBeating = CompletableFuture.completedFuture(null);
        }
        return stopBeating.thenCompose(x -> registry.unregister(service, instanceId));
    }

    /**
     * Where a group of this service that is created late (a topic found after registering) starts:
     * a second before the registration, so that it gets every event sent after register()
     * (clocks of client and Redis may differ a little; an earlier event is a harmless extra). Not
     * registered: from the newest entry.
     */
    BusMetrics metrics() {
        return metrics;
    }

    BusTracing tracing() {
        return tracing;
    }

    /** This service's consumer group on the topics. */
    public String topicGroup() {
        return topicGroup;
    }

    org.redisson.api.stream.StreamMessageId groupStart() {
        long at = registeredAt;
        return at == 0 ? org.redisson.api.stream.StreamMessageId.NEWEST : new org.redisson.api.stream.StreamMessageId(Math.max(0, at - 1_000), 0);
    }

    /** The catalog's event types this service listens to (its topics). */
    Set<String> listenedTypes() {
        Set<String> out = new java.util.TreeSet<>();
        for (Catalog.EventInfo e : catalog.events()) {
            if (listens(e.name())) {
                out.add(e.name());
            }
        }
        return out;
    }

    /** Every registration in Redis: one per registered instance of every service. */
    public List<Registration> registrations() {
        return List.copyOf(registry.read(new java.util.TreeMap<>()).values());
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
        CompletableFuture<?> written;
        beginSend();
        try {
            boolean announce = !announced.contains(p.type);
            if (options.replicas() > 0) {
                RBatch batch = redisson.createBatch(durable(options));
                addTo(batch, p, options.notifySelf(), announce);
                written = batch.executeAsync().toCompletableFuture().thenApply(r -> confirmed(r, options, 1));
            } else if (!options.notifySelf() && !announce) {
                RStream<byte[], byte[]> topic = redisson.getStream(keys.topic(p.type), ByteArrayCodec.INSTANCE);
                written = topic.addAsync(RedisKeys.eventEntry(p.utf8())).toCompletableFuture();
            } else {
                RBatch batch = redisson.createBatch();
                addTo(batch, p, options.notifySelf(), announce);
                written = batch.executeAsync().toCompletableFuture();
            }
            if (announce) {
                written = written.thenApply(r -> {
                    announced.add(p.type);
                    return r;
                });
            }
        } catch (RuntimeException e) {
            sending.decrementAndGet();
            p.span.end(e);
            throw e;
        }
        return bounded(written, 1).whenComplete((r, e) -> {
            sending.decrementAndGet();
            p.span.end(e);
            if (e == null) {
                metrics.sent(service, p.type);
            } else {
                metrics.sendRefused(service, p.type, "redis");
            }
        }).thenApply(r -> p.id);
    }

    /** {@code written}, failing after the send timeout with what that means for the events. */
    private <T> CompletableFuture<T> bounded(CompletableFuture<T> written, int events) {
        CompletableFuture<T> out = new CompletableFuture<>();
        written.orTimeout(sendTimeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
            } else if (e instanceof java.util.concurrent.TimeoutException
                    || e.getCause() instanceof java.util.concurrent.TimeoutException) {
                out.completeExceptionally(new HeraldException("Redis did not answer the send of " + (events == 1 ? "an event" : events + " events")
                        + " within " + sendTimeoutMs + " ms (Messenger.builder().sendTimeout): " + (events == 1 ? "it" : "they")
                        + " may or may not be stored. Send again to be sure (handlers see a duplicate by its event id)"));
            } else {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private static org.redisson.api.BatchOptions durable(SendOptions options) {
        return org.redisson.api.BatchOptions.defaults().sync(options.replicas(), options.replicaTimeout());
    }

    /** The batch's result if enough replicas confirmed it; otherwise a failure saying what that means. */
    private static <T extends org.redisson.api.BatchResult<?>> T confirmed(T result, SendOptions options, int events) {
        if (result.getSyncedSlaves() < options.replicas()) {
            throw new HeraldException((events == 1 ? "the event is" : events + " events are") + " on the Redis primary, but "
                    + result.getSyncedSlaves() + " of the " + options.replicas() + " replicas asked for confirmed "
                    + (events == 1 ? "it" : "them") + " within " + options.replicaTimeout().toMillis() + " ms: a failover now may lose "
                    + (events == 1 ? "it" : "them") + ". Send again to be sure (handlers see a duplicate by its event id), or check the replicas");
        }
        return result;
    }

    /** Counts a send, or refuses it once {@link #close} began: a send after close could not be waited for. */
    private void beginSend() {
        sending.incrementAndGet();
        if (closed) {
            sending.decrementAndGet();
            throw new IllegalStateException("the messenger of " + service + " is closed (or closing): it sends nothing more");
        }
    }

    /** Validates every event first (one violation: nothing is sent), then sends them in one pipeline. */
    public List<String> sendAll(Collection<? extends HeraldEvent> events) {
        return sendAll(events, SendOptions.DEFAULT);
    }

    public List<String> sendAll(Collection<? extends HeraldEvent> events, SendOptions options) {
        List<Prepared> prepared = new ArrayList<>(events.size());
        try {
            for (HeraldEvent e : events) {
                prepared.add(prepare(e, options));
            }
            beginSend();
        } catch (RuntimeException refused) {
            prepared.forEach(p -> p.span.end(refused)); // nothing of the batch is sent
            throw refused;
        }
        try {
            return sendPrepared(prepared, options);
        } finally {
            sending.decrementAndGet();
        }
    }

    private List<String> sendPrepared(List<Prepared> prepared, SendOptions options) {
        RBatch batch = options.replicas() > 0 ? redisson.createBatch(durable(options)) : redisson.createBatch();
        List<String> ids = new ArrayList<>(prepared.size());
        // one stream object per type and batch, not per event
        Map<String, org.redisson.api.RStreamAsync<byte[], byte[]>> topicsOut = new java.util.HashMap<>();
        org.redisson.api.RStreamAsync<byte[], byte[]> own = options.notifySelf() ? batch.getStream(keys.serviceStream(service), ByteArrayCodec.INSTANCE) : null;
        for (Prepared p : prepared) {
            StreamAddArgs<byte[], byte[]> entry = RedisKeys.eventEntry(p.utf8());
            topicsOut.computeIfAbsent(p.type, t -> batch.getStream(keys.topic(t), ByteArrayCodec.INSTANCE)).addAsync(entry);
            if (own != null) {
                own.addAsync(entry);
            }
            ids.add(p.id);
        }
        Set<String> toAnnounce = new java.util.TreeSet<>(topicsOut.keySet());
        toAnnounce.removeAll(announced);
        if (!toAnnounce.isEmpty()) {
            topics.announce(batch, toAnnounce);
        }
        org.redisson.api.BatchResult<?> result;
        try {
            result = bounded(batch.executeAsync().toCompletableFuture(), prepared.size()).join();
        } catch (java.util.concurrent.CompletionException e) {
            prepared.forEach(p -> {
                p.span.end(e.getCause());
                metrics.sendRefused(service, p.type, "redis");
            });
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        prepared.forEach(p -> {
            p.span.end(null);
            metrics.sent(service, p.type);
        });
        announced.addAll(toAnnounce);
        if (options.replicas() > 0) {
            confirmed(result, options, prepared.size());
        }
        return ids;
    }

    /**
     * The writes of one send: the event on its type's topic, once, whatever the number of
     * listeners; with notifySelf also on this service's stream (its own group skips what it sent on
     * the topic); the first time this messenger sends the type, the type among the known topics.
     */
    private void addTo(RBatch batch, Prepared p, boolean notifySelf, boolean announce) {
        byte[] utf8 = p.utf8();
        batch.<byte[], byte[]>getStream(keys.topic(p.type), ByteArrayCodec.INSTANCE).addAsync(RedisKeys.eventEntry(utf8));
        if (notifySelf) {
            batch.<byte[], byte[]>getStream(keys.serviceStream(service), ByteArrayCodec.INSTANCE).addAsync(RedisKeys.eventEntry(utf8));
        }
        if (announce) {
            topics.announce(batch, Set.of(p.type));
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
        try {
            long n = redisson.getTopic(keys.broadcastChannel(), StringCodec.INSTANCE).publish(new String(p.utf8(), java.nio.charset.StandardCharsets.UTF_8));
            p.span.end(null);
            return n;
        } catch (RuntimeException e) {
            p.span.end(e);
            throw e;
        }
    }

    /** An event ready to send: its envelope as the UTF-8 JSON that goes on the wire. */
    private record Prepared(String id, String type, byte[] utf8, BusTracing.Send span) {
    }

    private Prepared prepare(HeraldEvent event, SendOptions options) {
        if (event == null) {
            throw new IllegalArgumentException("event is null");
        }
        Catalog.EventInfo info = catalog.eventFor(event.getClass()).orElseThrow(() -> new HeraldException(
                event.getClass().getName() + " is not an event of the catalog on the class path"));
        if (info.owner() != null && !info.owner().equals(service)) {
            metrics.sendRefused(service, info.name(), "wrong-owner");
            throw new EventValidationException(info.name(), List.of("source: service '" + service
                    + "' may not send " + info.name() + " (x-owner: " + info.owner() + ")"));
        }
        List<String> violations = RecordValidation.violations(event);
        if (!violations.isEmpty()) {
            metrics.sendRefused(service, info.name(), "invalid");
            throw new EventValidationException(info.name(), violations);
        }
        String id = Envelope.newId();
        // the trace: given with the options, else the tracer's send span, else the handled event's trace continued
        BusTracing.Send span = options.traceparent() != null ? BusTracing.Send.NONE : tracing.startSend(service, info.name(), id);
        String tp = options.traceparent() != null ? options.traceparent() : span.traceparent() != null ? span.traceparent() : TraceContext.forSend();
        byte[] utf8 = Envelope.writeUtf8(id, Envelope.sourceOf(service), info.name(), Envelope.dataschemaOf(info.name(), info.version()),
                Envelope.now(), tp, span.tracestate(), event);
        if (utf8.length > maxEnvelopeBytes) {
            metrics.sendRefused(service, info.name(), "too-large");
            span.end(new EventValidationException(info.name(), List.of("too large")));
            throw new EventValidationException(info.name(), List.of("the event is " + utf8.length
                    + " bytes as JSON, more than the limit of " + maxEnvelopeBytes + " (Messenger.builder().maxEnvelopeBytes, and the"
                    + " broker's --max-envelope-bytes); put large payloads in a store and send a reference"));
        }
        return new Prepared(id, info.name(), utf8, span);
    }

    // ------------------------------------------------------------------ receiving

    /** A worker builder for this service; see {@link Worker}. */
    public Worker.Builder worker() {
        return new Worker.Builder(this);
    }

    void started(Worker w) {
        workers.add(w);
        heartbeat.execute(this::beat); // other instances learn at once what this one handles
    }

    /**
     * Whether another live instance of this service, consuming, would handle {@code type}: one
     * whose worker handles it, or one still starting (registered for it, no worker yet). A worker
     * without a handler hands such an event back instead of dead-lettering it. Read at most once a
     * second.
     */
    /** What the other live instances of this service can do with an event this one has no handler for. */
    enum Peer {
        /** a live instance's worker handles it */
        HANDLES,
        /** a live instance registered for it has no worker yet */
        STARTING,
        /** none */
        NONE
    }

    Peer anotherInstanceHandles(String type) {
        if (type == null) {
            return Peer.NONE;
        }
        long now = System.currentTimeMillis();
        if (now - peersReadAt > 1_000) {
            try {
                peers = liveInstances(service);
            } catch (RuntimeException e) {
                LOG.debug("cannot read the instances of {}: {}", service, e.toString());
            }
            peersReadAt = now;
        }
        Peer found = Peer.NONE;
        for (Instance i : peers) {
            if (i.id().equals(instanceId) || !i.workersEnabled()) {
                continue;
            }
            List<String> handles = i.handles() == null ? List.of() : i.handles();
            List<String> listens = i.listensTo() == null ? List.of() : i.listensTo();
            if (handles.contains(type) || handles.contains("*")) {
                return Peer.HANDLES;
            }
            if (i.workers() == 0 && listens.stream().anyMatch(p -> EventPattern.matches(p, type))) {
                found = Peer.STARTING;
            }
        }
        return found;
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
        return liveInstances(redisson, keys, ofService);
    }

    /** Instances of a service whose heartbeat is recent; forgets the others. */
    public static List<Instance> liveInstances(RedissonClient redisson, RedisKeys keys, String ofService) {
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

    /**
     * One heartbeat.
     *
     * @param id             the instance id
     * @param host           its host name
     * @param workersEnabled whether it consumes
     * @param workers        workers running
     * @param lastSeen       when every worker's read loop last completed a round (epoch ms): a
     *                       stuck worker makes its instance look dead, whatever timers still fire
     * @param listensTo      what it registered for
     * @param handles        the event types its workers handle ({@code *}: a catch-all)
     * @param handled        events its workers handled since it started (rates are told from two beats)
     */
    public record Instance(String id, String host, boolean workersEnabled, int workers, long lastSeen,
                           List<String> listensTo, List<String> handles, long handled) {
    }

    private void beat() {
        if (closed) {
            return;
        }
        try {
            long seen = System.currentTimeMillis();
            Set<String> handles = new LinkedHashSet<>();
            long handled = 0;
            for (Worker w : workers) {
                seen = Math.min(seen, w.lastRoundAt());
                handles.addAll(w.handledTypes());
                handled += w.handledCount();
            }
            Instance i = new Instance(instanceId, host(), enableWorkers, workers.size(), seen, listensTo, List.copyOf(handles), handled);
            redisson.<String, String>getMap(keys.serviceInstances(service), StringCodec.INSTANCE)
                    .fastPut(instanceId, Json.mapper().writeValueAsString(i));
            Registration reg = registration;
            if (reg != null) {
                registry.heartbeat(reg);
            }
        } catch (Exception e) {
            LOG.warn("heartbeat of {} failed: {}", instanceId, e.toString());
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

    RedisKeys keys() {
        return keys;
    }

    public Catalog catalog() {
        return catalog;
    }

    RedissonClient redisson() {
        return redisson;
    }

    public boolean workersEnabled() {
        return enableWorkers;
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * Refuses new sends, waits up to 10 s for the sends Redis has not answered yet, stops every
     * worker of this messenger (draining in-flight work), the heartbeat, and an own Redis client.
     * The registration stays, marked stopped: while other instances of the service run, the
     * service is routed by theirs; when none runs, by all, so a restarting service keeps
     * receiving ({@link #unregister} removes it).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.currentTimeMillis() + 10_000;
        while (sending.get() > 0 && System.currentTimeMillis() < deadline) {
            Threads.sleep(5);
        }
        if (sending.get() > 0) {
            LOG.warn("messenger of {} closing with {} sends Redis has not answered: they may or may not have been sent", service, sending.get());
        }
        for (Worker w : List.copyOf(workers)) {
            w.close();
        }
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(1, TimeUnit.SECONDS); // a beat in flight must not write the heartbeat back after its removal
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Registration reg = registration;
        if (reg != null && !redisson.isShutdown()) {
            try {
                // at most a second: a Redis that does not answer must not hold up a shutdown (the
                // registration then counts as running until it expires, which only keeps routing)
                registry.stop(reg, Envelope.now()).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("messenger of {} could not mark its registration stopped: {}", service, e.toString());
            }
        }
        try {
            if (!redisson.isShutdown()) {
                // at most a second: a Redis that does not answer must not hold up a shutdown (the
                // heartbeat ages out of liveInstances anyway)
                redisson.<String, String>getMap(keys.serviceInstances(service), StringCodec.INSTANCE).fastRemoveAsync(instanceId)
                        .toCompletableFuture().get(1, TimeUnit.SECONDS);
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
