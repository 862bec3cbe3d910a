package dev.herald.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.internal.RecordValidation;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.AutoClaimResult;
import org.redisson.api.stream.PendingResult;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamGroup;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives a service's events: typed handlers per record class and a catch-all. All workers of a
 * service, in any number of processes, are competing consumers of the service's stream (consumer
 * group {@code workers}), so each event is handled once per service (at least once: a crash
 * before the acknowledgement gives a duplicate).
 *
 * <ul>
 *   <li>{@code concurrency} handlers run at once; the worker reads only as many entries as it has
 *       free slots ({@code XREADGROUP COUNT n}), and acknowledges finished ones in batches.</li>
 *   <li>A handler's return value is stored as the event's result (time-bounded retention).</li>
 *   <li>A throw retries with exponential backoff and jitter up to {@code maxAttempts}; then, or at
 *       once for a {@link NonRetryableException} or an event that does not deserialize or
 *       validate, the event goes to the service's dead-letter stream with the error.</li>
 *   <li>Entries held by a worker that died are claimed back ({@code XAUTOCLAIM}) after the
 *       visibility timeout.</li>
 *   <li>{@link #close()} stops reading and drains in-flight work.</li>
 * </ul>
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    static final long RESULT_BUCKET_MS = 60_000;
    static final long READ_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("herald.worker.readLingerMicros", 2000));
    static final long SLOT_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("herald.worker.slotLingerMicros", 300));
    static final long ACK_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("herald.worker.ackLingerMs", 5));

    /** Moves due retries back into the stream, atomically (retry zset and stream share a slot). */
    private static final String MOVE_DUE = String.join("\n",
            "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))",
            "for i, m in ipairs(due) do",
            "  local sep = string.find(m, '\\n', 1, true)",
            "  redis.call('XADD', KEYS[2], '*', 'event', string.sub(m, sep + 1), 'attempt', string.sub(m, 1, sep - 1))",
            "  redis.call('ZREM', KEYS[1], m)",
            "end",
            "return #due");

    private final Messenger messenger;
    private final RedissonClient redisson;
    private final String service;
    private final RedisKeys keys;
    private final Catalog catalog;
    private final Map<Class<?>, EventHandler<Object>> typed;
    private final EventHandler<Envelope> any;
    private final int concurrency;
    private final int maxAttempts;
    private final long backoffInitialMs;
    private final long backoffMaxMs;
    private final long visibilityMs;
    private final int maxDeliveries;
    private final long handlerTimeoutNanos;
    /** Entries this worker holds, from dispatch to acknowledgement: their leases are renewed. */
    private final Set<StreamMessageId> leased = ConcurrentHashMap.newKeySet();
    /** Handlers running now, for the handler timeout. */
    private final Map<StreamMessageId, RunningHandler> runningHandlers = new ConcurrentHashMap<>();

    /** A handler's thread while it runs; {@link #interruptIfRunning} and {@link #finish} exclude each other. */
    private static final class RunningHandler {
        final Thread thread = Thread.currentThread();
        final long startedNanos = System.nanoTime();
        private boolean finished;

        synchronized boolean interruptIfRunning() {
            if (!finished) {
                thread.interrupt();
            }
            return !finished;
        }

        synchronized void finish() {
            finished = true;
            Thread.interrupted(); // an interrupt meant for this handler must not reach the next one on this thread
        }
    }
    private final long resultRetentionMs;
    private final List<Class<? extends Throwable>> nonRetryable;
    private final String consumer;
    private final boolean consuming;

    private final Semaphore slots;
    private final ExecutorService handlers;
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService scheduler;
    private final Thread fetcher;
    private final Thread flusher;
    private volatile boolean running = true;
    private volatile boolean flushing = true;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private long expiredBucket = -1;
    private int broadcastListener = -1;
    private RTopic topic;

    private Worker(Builder b) {
        this.messenger = b.messenger;
        this.redisson = messenger.redisson();
        this.service = messenger.service();
        this.keys = messenger.keys();
        this.catalog = messenger.catalog();
        this.typed = Map.copyOf(b.typed);
        this.any = b.any;
        this.concurrency = b.concurrency;
        this.maxAttempts = b.maxAttempts;
        this.backoffInitialMs = b.backoffInitial.toMillis();
        this.backoffMaxMs = b.backoffMax.toMillis();
        this.visibilityMs = b.visibilityTimeout.toMillis();
        this.maxDeliveries = b.maxDeliveries;
        this.handlerTimeoutNanos = b.handlerTimeout == null ? 0 : b.handlerTimeout.toNanos();
        this.resultRetentionMs = b.resultRetention.toMillis();
        this.nonRetryable = List.copyOf(b.nonRetryable);
        this.consumer = messenger.instanceId() + "-w" + WORKER_SEQ.incrementAndGet();
        this.consuming = messenger.workersEnabled();
        this.slots = new Semaphore(concurrency);
        AtomicInteger n = new AtomicInteger();
        this.handlers = java.util.concurrent.Executors.newFixedThreadPool(concurrency, r -> daemon(r, "herald-handler-" + service + "-" + n.incrementAndGet()));
        this.scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "herald-maint-" + service));
        this.fetcher = daemon(this::fetchLoop, "herald-fetch-" + service);
        this.flusher = daemon(this::flushLoop, "herald-ack-" + service);
    }

    private static final AtomicInteger WORKER_SEQ = new AtomicInteger();

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private Worker startThreads() {
        if (!consuming) {
            LOG.info("workers disabled for this instance of {}: it sends but does not consume", service);
            running = false;
            flushing = false;
            handlers.shutdown();
            scheduler.shutdown();
            return this;
        }
        Messenger.ensureGroup(redisson, keys.serviceStream(service), RedisKeys.WORKER_GROUP);
        fetcher.start();
        flusher.start();
        long retryEvery = Math.max(20, Math.min(250, backoffInitialMs / 2));
        scheduler.scheduleWithFixedDelay(this::moveDueRetries, retryEvery, retryEvery, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::trim, 2_000, 2_000, TimeUnit.MILLISECONDS);
        // renew well within the visibility timeout, and look at handler run times often enough for their timeout
        long leaseEvery = Math.max(20, Math.min(visibilityMs / 3,
                handlerTimeoutNanos > 0 ? TimeUnit.NANOSECONDS.toMillis(handlerTimeoutNanos) / 4 : Long.MAX_VALUE));
        scheduler.scheduleWithFixedDelay(this::renewLeases, leaseEvery, leaseEvery, TimeUnit.MILLISECONDS);
        topic = redisson.getTopic(keys.broadcastChannel(), StringCodec.INSTANCE);
        broadcastListener = topic.addListener(String.class, (channel, msg) -> onBroadcast(msg));
        messenger.started(this);
        return this;
    }

    /** Builds and starts a {@link Worker}. */
    public static final class Builder {
        private final Messenger messenger;
        private final Map<Class<?>, EventHandler<Object>> typed = new HashMap<>();
        private EventHandler<Envelope> any;
        private int concurrency = 16;
        private int maxAttempts = 5;
        private Duration backoffInitial = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofMinutes(5);
        private Duration visibilityTimeout = Duration.ofSeconds(60);
        private int maxDeliveries = 10;
        private Duration handlerTimeout;
        private Duration resultRetention = Duration.ofMinutes(15);
        private final List<Class<? extends Throwable>> nonRetryable = new ArrayList<>(List.of(NonRetryableException.class));

        Builder(Messenger messenger) {
            this.messenger = messenger;
        }

        /** A typed handler; its return value is kept as the result. */
        @SuppressWarnings("unchecked")
        public <T extends HeraldEvent> Builder on(Class<T> eventClass, EventHandler<? super T> handler) {
            if (messenger.catalog().eventFor(eventClass).isEmpty()) {
                throw new IllegalArgumentException(eventClass.getName() + " is not an event of the catalog");
            }
            typed.put(eventClass, (EventHandler<Object>) (EventHandler<?>) handler);
            return this;
        }

        /** A typed handler without result. */
        public <T extends HeraldEvent> Builder consume(Class<T> eventClass, EventConsumer<? super T> handler) {
            return on(eventClass, (EventHandler<T>) (e, ctx) -> {
                handler.accept(e, ctx);
                return null;
            });
        }

        /** The catch-all for events without a typed handler: receives the envelope (data as JSON). */
        public Builder onAny(EventHandler<Envelope> handler) {
            this.any = handler;
            return this;
        }

        /** Handlers running at once in this worker (default 16). */
        public Builder concurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1");
            }
            this.concurrency = n;
            return this;
        }

        /** Attempts before the dead letter, the first included (default 5). */
        public Builder maxAttempts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1");
            }
            this.maxAttempts = n;
            return this;
        }

        /** Retry delay: initial * 2^(attempt-1), capped at max, with equal jitter (default 500 ms, 5 min). */
        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /**
         * How many times an entry is delivered before it is dead-lettered with reason
         * {@code delivery-limit} instead of run again (default 10). Counts every delivery, so an
         * event that kills or hangs its worker process each time stops after this many.
         */
        public Builder maxDeliveries(int n) {
            this.maxDeliveries = DeliveryCounts.checkedMax(n);
            return this;
        }

        /**
         * How long a handler may run before its thread is interrupted and the run counts as a
         * failed attempt (default: no limit). A handler that ignores the interrupt loses its lease:
         * its entry is claimed back after the visibility timeout.
         */
        public Builder handlerTimeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("handler timeout must be positive, got " + d);
            }
            this.handlerTimeout = d;
            return this;
        }

        /**
         * How long an entry may stay unacknowledged before another worker claims it (default 60 s).
         * A live worker renews the lease of the entries it holds, so a slow handler is never run
         * twice at once; only a worker that died or hangs loses them.
         */
        public Builder visibilityTimeout(Duration d) {
            this.visibilityTimeout = d;
            return this;
        }

        /** How long results are kept (default 15 min, in one-minute buckets). */
        public Builder resultRetention(Duration d) {
            this.resultRetention = d;
            return this;
        }

        /** Exceptions that dead-letter at once (besides {@link NonRetryableException}). */
        public Builder nonRetryable(List<Class<? extends Throwable>> types) {
            nonRetryable.addAll(types);
            return this;
        }

        /**
         * Starts consuming. With {@code enableWorkers(false)} on the messenger the worker is
         * inert: it never reads the stream ({@link Worker#consuming()} is false).
         */
        public Worker start() {
            if (typed.isEmpty() && any == null) {
                throw new IllegalStateException("a worker needs at least one handler");
            }
            return new Worker(this).startThreads();
        }
    }

    // ------------------------------------------------------------------ reading

    private RStream<String, String> stream() {
        return redisson.getStream(keys.serviceStream(service), StringCodec.INSTANCE);
    }

    private void fetchLoop() {
        RStream<String, String> stream = stream();
        long claimEveryMs = Math.max(50, visibilityMs / 4);
        long nextClaimAt = System.currentTimeMillis() + claimEveryMs;
        boolean lastReadFull = false;
        while (running) {
            int n = 0;
            try {
                if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                n = 1 + slots.drainPermits();
                if (n < concurrency / 2 && READ_LINGER_NANOS > 0 && lastReadFull) {
                    // busy (the last read filled every free slot): let a few more handlers finish so
                    // that one XREADGROUP fetches for several slots instead of waking for each one
                    java.util.concurrent.locks.LockSupport.parkNanos(SLOT_LINGER_NANOS);
                    n += slots.drainPermits();
                }
                if (n > 256) {
                    slots.release(n - 256);
                    n = 256;
                }
                long now = System.currentTimeMillis();
                if (now >= nextClaimAt) {
                    nextClaimAt = now + claimEveryMs;
                    int used = claimAbandoned(stream, n);
                    if (used > 0) {
                        slots.release(n - used);
                        n = 0;
                        continue;
                    }
                }
                // after a full read more entries are likely waiting: read without BLOCK (Redisson's
                // completion of a blocking command is costly); block only when the last read came short
                StreamReadGroupArgs args = StreamReadGroupArgs.neverDelivered().count(n);
                Map<StreamMessageId, Map<String, String>> batch = stream.readGroup(RedisKeys.WORKER_GROUP, consumer,
                        lastReadFull ? args : args.timeout(Duration.ofMillis(500)));
                int got = batch == null ? 0 : batch.size();
                lastReadFull = got == n;
                if (got < n) {
                    slots.release(n - got);
                }
                if (got > 0) {
                    dispatch(batch, false);
                    if (got < n && READ_LINGER_NANOS > 0) {
                        // a short read at a low rate: let a few more events arrive so the next
                        // XREADGROUP fetches several (like a producer's linger; bounds commands per event)
                        java.util.concurrent.locks.LockSupport.parkNanos(READ_LINGER_NANOS);
                    }
                }
                n = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (n > 0) {
                    slots.release(n);
                }
                if (!running || redisson.isShutdown() || redisson.isShuttingDown()) {
                    return; // the client is closing: nothing to report
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    Messenger.ensureGroup(redisson, keys.serviceStream(service), RedisKeys.WORKER_GROUP);
                } else {
                    LOG.warn("worker of {} cannot read its stream: {}", service, e.toString());
                    sleepQuietly(500);
                }
            }
        }
    }

    private void dispatch(Map<StreamMessageId, Map<String, String>> batch, boolean claimed) {
        for (Map.Entry<StreamMessageId, Map<String, String>> e : batch.entrySet()) {
            StreamMessageId id = e.getKey();
            Map<String, String> fields = e.getValue();
            inFlight.incrementAndGet();
            leased.add(id);
            try {
                submit(() -> process(id, fields));
            } catch (RuntimeException rejected) {
                inFlight.decrementAndGet();
                slots.release();
            }
        }
    }

    // Handler threads pull from one queue; a new runner starts only while more entries wait than
    // idle runners can take (up to concurrency). Slow handlers get full concurrency; fast ones are run by a
    // few threads back to back instead of waking one thread per event.
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> ready = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final AtomicInteger runners = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();

    private void submit(Runnable job) {
        ready.add(job);
        readyCount.incrementAndGet();
        maybeStartRunner();
    }

    private void maybeStartRunner() {
        while (true) {
            int r = runners.get();
            // runners not inside a handler will take waiting entries; start one more only if they are too few
            if (r >= concurrency || r - busy.get() >= readyCount.get()) {
                return;
            }
            if (runners.compareAndSet(r, r + 1)) {
                try {
                    handlers.execute(this::runReady);
                } catch (RuntimeException rejected) {
                    runners.decrementAndGet();
                    throw rejected;
                }
                return;
            }
        }
    }

    private void runReady() {
        while (true) {
            Runnable job;
            while ((job = ready.poll()) != null) {
                busy.incrementAndGet();
                readyCount.decrementAndGet();
                maybeStartRunner();
                try {
                    job.run();
                } finally {
                    busy.decrementAndGet();
                }
            }
            runners.decrementAndGet();
            if (ready.isEmpty()) {
                return;
            }
            int r = runners.get();
            if (r >= concurrency || !runners.compareAndSet(r, r + 1)) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ handling

    private static final class Undeliverable extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        Undeliverable(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private void process(StreamMessageId id, Map<String, String> fields) {
        String raw = fields == null ? null : fields.get(RedisKeys.FIELD_EVENT);
        int attempt = parseAttempt(fields);
        try {
            if (raw == null) {
                throw new Undeliverable("malformed", "stream entry without an 'event' field: " + fields);
            }
            Envelope env;
            try {
                env = Envelope.parse(raw);
            } catch (HeraldException ex) {
                throw new Undeliverable("malformed", ex.getMessage());
            }
            EventContext ctx = context(env, attempt, false);
            Object result;
            RunningHandler handler = new RunningHandler();
            runningHandlers.put(id, handler);
            try {
                result = invoke(env, ctx);
            } finally {
                handler.finish();
                runningHandlers.remove(id);
            }
            handled.incrementAndGet();
            outcomes.add(Outcome.ok(id, env.id(), result));
        } catch (Undeliverable u) {
            deadLettered.incrementAndGet();
            outcomes.add(Outcome.dead(id, raw, u.reason, u.getMessage(), attempt - 1));
        } catch (Throwable t) {
            failed.incrementAndGet();
            String error = t.getClass().getName() + ": " + t.getMessage();
            if (isNonRetryable(t)) {
                deadLettered.incrementAndGet();
                outcomes.add(Outcome.dead(id, raw, "non-retryable", error, attempt));
            } else if (attempt >= maxAttempts) {
                deadLettered.incrementAndGet();
                outcomes.add(Outcome.dead(id, raw, "handler-failed", error, attempt));
            } else {
                outcomes.add(Outcome.retry(id, raw, attempt + 1, System.currentTimeMillis() + backoff(attempt)));
            }
        } finally {
            inFlight.decrementAndGet();
            slots.release();
        }
    }

    private Object invoke(Envelope env, EventContext ctx) throws Exception {
        Class<?> cls = catalog.recordClass(env.type()).orElse(null);
        EventHandler<Object> h = cls == null ? null : typed.get(cls);
        if (h != null) {
            Object record;
            try {
                record = Json.mapper().treeToValue(env.data(), cls);
            } catch (Exception e) {
                throw new Undeliverable("undeserializable", "cannot read data as " + cls.getSimpleName() + ": " + e.getMessage());
            }
            List<String> violations = RecordValidation.violations(record);
            if (!violations.isEmpty()) {
                throw new Undeliverable("invalid", "invalid on receipt: " + String.join("; ", violations));
            }
            return h.handle(record, ctx);
        }
        if (any != null) {
            return any.handle(env, ctx);
        }
        throw new Undeliverable("no-handler", "no handler for " + env.type() + " in this worker of " + service);
    }

    private EventContext context(Envelope env, int attempt, boolean broadcast) {
        return new EventContext(env.id(), env.type(), env.version(), env.sourceService(), attempt,
                Messenger.parseTime(env.time()), env.traceparent(), service, broadcast, env);
    }

    private boolean isNonRetryable(Throwable t) {
        for (Class<? extends Throwable> c : nonRetryable) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Delay before attempt {@code attempt + 1}: equal jitter over an exponential, capped. */
    long backoff(int attempt) {
        long exp = backoffInitialMs << Math.min(30, attempt - 1);
        long d = Math.min(backoffMaxMs, exp < 0 ? backoffMaxMs : exp);
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    private static int parseAttempt(Map<String, String> fields) {
        String a = fields == null ? null : fields.get(RedisKeys.FIELD_ATTEMPT);
        try {
            return a == null ? 1 : Math.max(1, Integer.parseInt(a));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void onBroadcast(String raw) {
        if (!running) {
            return;
        }
        try {
            Envelope env = Envelope.parse(raw);
            if (!messenger.listens(env.type()) || service.equals(env.sourceService())) {
                return;
            }
            handlers.execute(() -> {
                try {
                    invoke(env, context(env, 1, true));
                } catch (Exception e) {
                    LOG.warn("broadcast {} {} failed in {} (not retried): {}", env.type(), env.id(), service, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("unreadable broadcast ignored: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ acknowledging

    private record Outcome(StreamMessageId id, String eventId, Object result, String raw, String reason,
                           String error, int attempts, int nextAttempt, long dueAt) {
        static Outcome ok(StreamMessageId id, String eventId, Object result) {
            return new Outcome(id, eventId, result, null, null, null, 0, 0, 0);
        }

        static Outcome dead(StreamMessageId id, String raw, String reason, String error, int attempts) {
            return new Outcome(id, null, null, raw, reason, error, attempts, 0, 0);
        }

        static Outcome retry(StreamMessageId id, String raw, int nextAttempt, long dueAt) {
            return new Outcome(id, null, null, raw, null, null, 0, nextAttempt, dueAt);
        }
    }

    private void flushLoop() {
        List<Outcome> batch = new ArrayList<>();
        while (flushing || !outcomes.isEmpty()) {
            try {
                Outcome first = outcomes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, 4096);
                // at low rates, wait a moment for more outcomes: one XACK for several events
                // (handlers already ran; only the acknowledgement and the results are later)
                // (a plain sleep, then one drain: polling here would make every finishing handler
                // wake this thread, up to 64 times per round)
                if (batch.size() < 64 && flushing && ACK_LINGER_NANOS > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(ACK_LINGER_NANOS);
                    outcomes.drainTo(batch, 4096);
                }
                List<Outcome> refused = flush(batch);
                batch.clear();
                if (!refused.isEmpty()) {
                    if (redisson.isShutdown() || !flushing) {
                        LOG.warn("worker of {} stopping with {} entries whose outcome Redis refused: they stay pending and will be"
                                + " handled again after the visibility timeout", service, refused.size() + outcomes.size());
                        return;
                    }
                    outcomes.addAll(refused);
                    sleepQuietly(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (redisson.isShutdown() || !flushing) {
                    LOG.warn("worker of {} stopping without acknowledging {} handled entries ({}): they stay pending and will be"
                            + " handled again after the visibility timeout", service, batch.size() + outcomes.size(), e.toString());
                    return;
                }
                LOG.warn("worker of {} cannot acknowledge {} entries, will retry: {}", service, batch.size(), e.toString());
                outcomes.addAll(batch);
                batch.clear();
                sleepQuietly(200);
            }
        }
    }

    /**
     * Writes the outcomes and acknowledges their entries; returns the outcomes whose write Redis
     * refused, to be written again. A retry or a dead letter is acknowledged only once its ZADD or
     * XADD succeeded (Redis runs each command of a pipeline on its own: out of memory refuses the
     * ZADD and still runs the XACK). Handled entries are acknowledged in the same pipeline as their
     * retained results, which are best-effort: a refused result write is logged, the event was handled.
     */
    private List<Outcome> flush(List<Outcome> batch) {
        RBatch b = redisson.createBatch();
        Map<String, String> results = new LinkedHashMap<>();
        List<StreamMessageId> handled = new ArrayList<>(batch.size());
        Map<Outcome, RFuture<?>> writes = new LinkedHashMap<>();
        String now = Envelope.now();
        for (Outcome o : batch) {
            if (o.reason() != null) {
                Map<String, String> f = DeadLetter.entry(o.raw(), o.reason(), o.error(), o.attempts(), now, consumer);
                writes.put(o, b.<String, String>getStream(keys.serviceDead(service), StringCodec.INSTANCE).addAsync(StreamAddArgs.entries(f)));
            } else if (o.nextAttempt() > 0) {
                writes.put(o, b.getScoredSortedSet(keys.serviceRetry(service), StringCodec.INSTANCE)
                        .addAsync(o.dueAt(), o.nextAttempt() + "\n" + o.raw()));
            } else {
                handled.add(o.id());
                if (o.result() != null && o.eventId() != null) {
                    results.put(o.eventId(), toJson(o.result()));
                }
            }
        }
        RFuture<?> resultWrite = null;
        if (!results.isEmpty()) {
            long bucket = System.currentTimeMillis() / RESULT_BUCKET_MS;
            String key = keys.serviceResults(service, bucket);
            resultWrite = b.<String, String>getMap(key, StringCodec.INSTANCE).putAllAsync(results);
            if (bucket != expiredBucket) {
                b.getMap(key, StringCodec.INSTANCE).expireAsync(Duration.ofMillis(resultRetentionMs + RESULT_BUCKET_MS));
                expiredBucket = bucket;
            }
        }
        RFuture<?> handledAck = handled.isEmpty() ? null
                : b.getStream(keys.serviceStream(service), StringCodec.INSTANCE).ackAsync(RedisKeys.WORKER_GROUP, handled.toArray(new StreamMessageId[0]));
        try {
            b.execute();
        } catch (RuntimeException e) {
            LOG.debug("worker of {}: pipeline: {}", service, e.toString()); // each write's own reply says which failed
        }
        List<Outcome> refused = new ArrayList<>();
        String ackError = handledAck == null ? null : Replies.failure(handledAck);
        if (ackError != null) {
            // acknowledged again with the next flush (an XACK is idempotent); the written retries
            // and dead letters below are not written twice
            batch.stream().filter(o -> o.reason() == null && o.nextAttempt() == 0).forEach(refused::add);
            LOG.warn("worker of {} cannot acknowledge {} handled entries, will retry: {}", service, handled.size(), ackError);
        } else {
            handled.forEach(leased::remove);
        }
        if (resultWrite != null && Replies.failure(resultWrite) != null) {
            LOG.warn("worker of {}: {} handler results not retained: {}", service, results.size(), Replies.failure(resultWrite));
        }
        List<StreamMessageId> written = new ArrayList<>();
        String firstError = null;
        for (Map.Entry<Outcome, RFuture<?>> w : writes.entrySet()) {
            String error = Replies.failure(w.getValue());
            if (error == null) {
                written.add(w.getKey().id());
            } else {
                refused.add(w.getKey());
                firstError = firstError == null ? error : firstError;
            }
        }
        if (!written.isEmpty()) {
            redisson.getStream(keys.serviceStream(service), StringCodec.INSTANCE)
                    .ack(RedisKeys.WORKER_GROUP, written.toArray(new StreamMessageId[0]));
            written.forEach(leased::remove);
        }
        if (!refused.isEmpty()) {
            LOG.warn("worker of {}: Redis refused {} retries or dead letters; their entries stay pending and are written again: {}",
                    service, refused.size(), firstError);
        }
        return refused;
    }

    private static String toJson(Object result) {
        try {
            return Json.mapper().writeValueAsString(result);
        } catch (Exception e) {
            return Json.mapper().getNodeFactory().textNode(String.valueOf(result)).toString();
        }
    }

    static Optional<JsonNode> readResult(RedissonClient redisson, RedisKeys keys, String service, String eventId) {
        long bucket = System.currentTimeMillis() / RESULT_BUCKET_MS;
        for (long b = bucket; b > bucket - 61; b--) {
            String v = redisson.<String, String>getMap(keys.serviceResults(service, b), StringCodec.INSTANCE).get(eventId);
            if (v != null) {
                try {
                    return Optional.of(Json.mapper().readTree(v));
                } catch (Exception e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * Resets the idle time of every entry this worker holds ({@code XCLAIM … JUSTID} to itself,
     * which does not count a delivery), so that no other worker claims back an entry whose handler
     * is still running; interrupts handlers past the handler timeout and stops renewing theirs.
     */
    private void renewLeases() {
        try {
            if (handlerTimeoutNanos > 0) {
                long now = System.nanoTime();
                runningHandlers.forEach((id, h) -> {
                    if (now - h.startedNanos > handlerTimeoutNanos && leased.remove(id) && h.interruptIfRunning()) {
                        LOG.warn("worker of {}: handler for entry {} ran longer than {} ms: interrupted (a handler that ignores"
                                + " it is claimed back after the visibility timeout)", service, id, TimeUnit.NANOSECONDS.toMillis(handlerTimeoutNanos));
                    }
                });
            }
            if (!leased.isEmpty()) {
                redisson.getStream(keys.serviceStream(service), StringCodec.INSTANCE)
                        .fastClaim(RedisKeys.WORKER_GROUP, consumer, 0, TimeUnit.MILLISECONDS, leased.toArray(new StreamMessageId[0]));
            }
        } catch (RuntimeException e) {
            if (running && !redisson.isShuttingDown()) {
                LOG.warn("worker of {}: cannot renew leases ({}); entries may be claimed back by another worker", service, e.toString());
            }
        }
    }

    private void moveDueRetries() {
        try {
            redisson.getScript(StringCodec.INSTANCE).eval(keys.serviceRetry(service), RScript.Mode.READ_WRITE, MOVE_DUE,
                    RScript.ReturnType.LONG, List.of(keys.serviceRetry(service), keys.serviceStream(service)),
                    Long.toString(System.currentTimeMillis()), "200");
        } catch (RuntimeException e) {
            if (running && !redisson.isShutdown()) {
                LOG.debug("retry mover: {}", e.toString());
            }
        }
    }

    /**
     * Claims entries idle for longer than the visibility timeout (their worker died) with
     * XAUTOCLAIM, using {@code n} slots the fetch loop holds; returns how many slots it used.
     */
    private int claimAbandoned(RStream<String, String> stream, int n) {
        AutoClaimResult<String, String> r = stream.autoClaim(RedisKeys.WORKER_GROUP, consumer, visibilityMs, TimeUnit.MILLISECONDS,
                StreamMessageId.MIN, n);
        Map<StreamMessageId, Map<String, String>> claimed = r.getMessages();
        int got = claimed == null ? 0 : claimed.size();
        if (got > 0) {
            LOG.info("worker of {} claimed back {} entries abandoned for more than {} ms", service, got, visibilityMs);
            Map<StreamMessageId, Long> counts = DeliveryCounts.read(stream, RedisKeys.WORKER_GROUP, claimed.keySet());
            Map<StreamMessageId, Map<String, String>> toRun = new LinkedHashMap<>();
            claimed.forEach((id, fields) -> {
                long deliveries = counts.getOrDefault(id, 1L);
                if (deliveries > maxDeliveries) {
                    // its handler never finished: it killed or hung its worker every time
                    slots.release();
                    outcomes.add(Outcome.dead(id, fields == null ? null : fields.get(RedisKeys.FIELD_EVENT), DeliveryCounts.REASON,
                            "delivered " + deliveries + " times without being acknowledged (max deliveries " + maxDeliveries
                                    + "): its handler crashed or hung its worker each time", (int) Math.min(deliveries - 1, Integer.MAX_VALUE)));
                } else {
                    toRun.put(id, fields);
                }
            });
            dispatch(toRun, true);
        }
        return got;
    }

    private void trim() {
        if (!running) {
            return;
        }
        try {
            trimAcknowledged(stream(), RedisKeys.WORKER_GROUP);
        } catch (RuntimeException e) {
            LOG.debug("trim: {}", e.toString());
        }
    }

    /**
     * Removes the entries every consumer of {@code group} has acknowledged: everything before
     * min(oldest pending, last delivered + 1). The group's last-delivered id is read before the
     * pending summary, so an entry delivered in between is never removed.
     */
    public static long trimAcknowledged(RStream<String, String> stream, String group) {
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

    private static int compare(StreamMessageId a, StreamMessageId b) {
        int c = Long.compareUnsigned(a.getId0(), b.getId0());
        return c != 0 ? c : Long.compareUnsigned(a.getId1(), b.getId1());
    }

    // ------------------------------------------------------------------ lifecycle

    /** Whether this worker reads the stream (false with {@code enableWorkers(false)}). */
    public boolean consuming() {
        return consuming;
    }

    public String consumerName() {
        return consumer;
    }

    /** Handlers that returned normally. */
    public long handledCount() {
        return handled.get();
    }

    /** Handler runs that threw. */
    public long failedCount() {
        return failed.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    /** Stops reading, waits up to 30 s for in-flight handlers, acknowledges what finished. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration drainTimeout) {
        if (!consuming) {
            return;
        }
        if (!running && !flushing) {
            return;
        }
        running = false;
        if (topic != null && broadcastListener >= 0) {
            try {
                topic.removeListener(broadcastListener);
            } catch (RuntimeException e) {
                LOG.debug("remove broadcast listener: {}", e.toString());
            }
        }
        scheduler.shutdownNow();
        try {
            fetcher.join(2_000);
            handlers.shutdown();
            if (!handlers.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("worker of {}: {} handlers still running after {}; their entries will be claimed back", service, inFlight.get(), drainTimeout);
                handlers.shutdownNow();
            }
            flushing = false;
            flusher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        messenger.stopped(this);
    }

    /** Events being handled right now. */
    public int inFlight() {
        return inFlight.get();
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
