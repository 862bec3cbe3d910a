package dev.herald.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.internal.RecordValidation;
import dev.herald.runtime.stream.ConsumerGroup;
import dev.herald.runtime.stream.ConsumerLoop;
import dev.herald.runtime.stream.DeliveryLimit;
import dev.herald.runtime.stream.Durations;
import dev.herald.runtime.stream.Threads;
import dev.herald.runtime.stream.Topics;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
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
 * service, in any number of processes, are competing consumers of the service's consumer group on
 * the topic of every event type it listens to (group named as the service) and of its own stream
 * (group {@code workers}: retries, hand-backs, replays, its own events sent with notifySelf), so
 * each event is handled once per service (at least once: a crash before the acknowledgement gives
 * a duplicate). What the service sent itself arrives on a topic too, and is skipped there.
 *
 * <ul>
 *   <li>{@code concurrency} handlers run at once; the worker reads only as many entries as it has
 *       free slots ({@code XREADGROUP COUNT n}), and acknowledges finished ones in batches.</li>
 *   <li>A handler's return value is stored as the event's result (time-bounded retention).</li>
 *   <li>A throw retries with exponential backoff and jitter up to {@code maxAttempts}; then, or at
 *       once for a {@link NonRetryableException} or an event that does not deserialize or
 *       validate, the event goes to the service's dead-letter stream with the error.</li>
 *   <li>Entries held by a worker that died are claimed back ({@code XAUTOCLAIM}) after the
 *       visibility timeout; a live worker renews the lease of what it holds. An entry delivered
 *       more than {@code maxDeliveries} times is dead-lettered ({@code delivery-limit}).</li>
 *   <li>An event this worker has no handler for, while another live instance of the service
 *       handles it (a rolling deploy, a canary), is handed back to the stream for that instance
 *       instead of dead-lettered.</li>
 *   <li>{@link #close()} stops reading and drains in-flight work.</li>
 * </ul>
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    static final long RESULT_BUCKET_MS = 60_000;
    /** Under load, how long the fetcher waits for more slots to free before one read for all of them. */
    private static final long SLOT_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(300);
    /**
     * How long an event waits before it is offered again after its {@code handbacks + 1}-th
     * hand-back: 0.2, 0.4, 0.8 ... 5 s, so that the delivery limit's hand-backs give an instance
     * that is still starting about half a minute to take it.
     */
    static long handBackDelay(int handbacks) {
        return Math.min(5_000L, 200L << Math.min(handbacks, 5));
    }

    /**
     * Moves due retries and hand-backs back into the stream, atomically (retry zset and stream
     * share a slot). A member is {@code <attempt>[,<handbacks>]\n<envelope>}.
     */
    private static final String MOVE_DUE = String.join("\n",
            "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))",
            "for i, m in ipairs(due) do",
            "  local sep = string.find(m, '\\n', 1, true)",
            "  if not sep then",
            "    -- not written by a worker: handed to the workers as it is, who dead-letter it as malformed",
            "    redis.call('XADD', KEYS[2], '*', 'event', m, 'attempt', '1')",
            "    redis.call('ZREM', KEYS[1], m)",
            "  else",
            "  local head = string.sub(m, 1, sep - 1)",
            "  local comma = string.find(head, ',', 1, true)",
            "  if comma then",
            "    redis.call('XADD', KEYS[2], '*', 'event', string.sub(m, sep + 1), 'attempt', string.sub(head, 1, comma - 1),",
            "        'handbacks', string.sub(head, comma + 1))",
            "  else",
            "    redis.call('XADD', KEYS[2], '*', 'event', string.sub(m, sep + 1), 'attempt', head)",
            "  end",
            "  redis.call('ZREM', KEYS[1], m)",
            "  end",
            "end",
            "if #due >= tonumber(ARGV[2]) then return 0 end",
            "local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')",
            "if #nxt == 0 then return -1 end",
            "return tonumber(nxt[2])");

    /**
     * The retry mover runs when the earliest retry it knows of is due, and at least this often
     * (retries another instance wrote, one that then died): idle, one script call per 5 s.
     */
    static final long RETRY_POLL_MS = 5_000;

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
    private final DeliveryLimit deliveryLimit;
    private final DeadLetter.Retention deadLetterRetention;
    private final long readLingerNanos;
    private final long ackLingerNanos;
    private final long handlerTimeoutNanos;
    /** Entries this worker holds, from dispatch to acknowledgement: their leases are renewed. */
    private final Set<Held> leased = ConcurrentHashMap.newKeySet();
    /** Handlers running now, for the handler timeout. */
    private final Map<Held, RunningHandler> runningHandlers = new ConcurrentHashMap<>();

    /**
     * One stream this worker reads, with its own read thread: the service's stream, or the topic
     * of an event type it listens to. (On Redis Cluster the streams are on different nodes, and a
     * blocking read can wait on one node only.)
     */
    private final class Source {
        final ConsumerGroup group;
        final boolean topic;
        final ConsumerLoop loop;
        final Thread thread;

        Source(ConsumerGroup group, boolean topic) {
            this.group = group;
            this.topic = topic;
            this.loop = new ConsumerLoop("worker " + consumer + " of " + service + " on " + group.streamKey(), redisson, group,
                    () -> running, new FetchRound(this));
            this.thread = Threads.daemon(loop, "herald-fetch-" + service + (topic ? "-" + keys.topicType(group.streamKey()) : ""));
        }
    }

    /** An entry this worker holds: where it came from and its id there. */
    private record Held(Source source, StreamMessageId id) {
    }

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
    private final boolean validateOnReceipt;
    private final List<Class<? extends Throwable>> nonRetryable;
    private final String consumer;
    private final boolean consuming;

    private final Semaphore slots;
    private final ExecutorService handlers;
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService scheduler;
    /** The streams this worker reads: its service's first, then a topic per listened type (more may be found later). */
    private final List<Source> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Source own;
    private final Thread flusher;
    private volatile boolean running = true;
    private volatile boolean flushing = true;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong handled = new AtomicLong();
    private final BusMetrics metrics;
    private final BusTracing tracing;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong handedBack = new AtomicLong();
    private long expiredBucket = -1;
    private int broadcastListener = -1;
    private RTopic topic;

    private Worker(Builder b) {
        this.messenger = b.messenger;
        this.metrics = b.messenger.metrics();
        this.tracing = b.messenger.tracing();
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
        this.deliveryLimit = b.deliveryLimit;
        this.deadLetterRetention = b.deadLetterRetention;
        this.readLingerNanos = b.readLinger.toNanos();
        this.ackLingerNanos = b.ackLinger.toNanos();
        this.handlerTimeoutNanos = b.handlerTimeout == null ? 0 : b.handlerTimeout.toNanos();
        this.inlineBelowNanos = b.inlineBelow.toNanos();
        this.resultRetentionMs = b.resultRetention.toMillis();
        this.validateOnReceipt = b.validateOnReceipt;
        this.nonRetryable = List.copyOf(b.nonRetryable);
        this.consumer = messenger.instanceId() + "-w" + WORKER_SEQ.incrementAndGet();
        this.consuming = messenger.workersEnabled();
        this.slots = new Semaphore(concurrency);
        this.handlers = java.util.concurrent.Executors.newFixedThreadPool(concurrency, Threads.daemons("herald-handler-" + service));
        this.scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Threads.daemons("herald-maint-" + service));
        this.own = new Source(new ConsumerGroup(redisson, keys.serviceStream(service), RedisKeys.WORKER_GROUP, consumer), false);
        sources.add(own);
        this.flusher = Threads.daemon(this::flushLoop, "herald-ack-" + service);
    }

    private static final AtomicInteger WORKER_SEQ = new AtomicInteger();

    private Worker startThreads() {
        if (!consuming) {
            LOG.info("workers disabled for this instance of {}: it sends but does not consume", service);
            running = false;
            flushing = false;
            handlers.shutdown();
            scheduler.shutdown();
            return this;
        }
        own.group.ensure();
        for (String type : messenger.listenedTypes()) {
            addTopic(type);
        }
        addAnnouncedTopics();
        own.thread.start();
        for (Source s : sources) {
            if (s != own) {
                s.thread.start();
            }
        }
        flusher.start();
        wakeMover(System.currentTimeMillis());
        scheduler.scheduleWithFixedDelay(this::trim, 2_000, 2_000, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::findNewTopics, 5_000, 5_000, TimeUnit.MILLISECONDS);
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
        private DeliveryLimit deliveryLimit = DeliveryLimit.DEFAULT;
        private DeadLetter.Retention deadLetterRetention = DeadLetter.Retention.DEFAULT;
        private Duration readLinger = Duration.ofMillis(2);
        private Duration ackLinger = Duration.ofMillis(5);
        private Duration handlerTimeout;
        private Duration inlineBelow = Duration.ofNanos(200_000);
        private Duration resultRetention = Duration.ofMinutes(15);
        private boolean validateOnReceipt = true;
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

        /**
         * Handlers running at once in this worker (default 16), on its handler threads — or, at
         * low rates, a quick one on the thread that read its entry ({@link #inlineBelow}): do not
         * rely on the thread's name or identity.
         */
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

        /**
         * Retry delay: initial * 2^(attempt-1), capped at max, with equal jitter (default 500 ms,
         * 5 min); a null keeps that one's current value.
         */
        public Builder backoff(Duration initial, Duration max) {
            initial = initial == null ? backoffInitial : initial;
            max = max == null ? backoffMax : max;
            Durations.positive(initial, "initial backoff");
            Durations.positive(max, "maximum backoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("maximum backoff " + max + " is shorter than the initial " + initial);
            }
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
            this.deliveryLimit = new DeliveryLimit(n);
            return this;
        }

        /** How long and how many of the service's dead letters are kept (default 14 days, 100,000). */
        public Builder deadLetterRetention(Duration maxAge, int maxLength) {
            this.deadLetterRetention = new DeadLetter.Retention(maxAge, maxLength);
            return this;
        }

        /**
         * After a read that came short (a low rate), how long to wait for more events before the
         * next read, so that one read serves several (default 2 ms; zero for the lowest latency).
         */
        public Builder readLinger(Duration d) {
            this.readLinger = Durations.nonNegative(d, "read linger");
            return this;
        }

        /**
         * How long finished events wait to be acknowledged together (default 5 ms): one XACK for
         * several. Handlers already ran; only the acknowledgement and the stored result are later.
         */
        public Builder ackLinger(Duration d) {
            this.ackLinger = Durations.nonNegative(d, "ack linger");
            return this;
        }

        /**
         * At low rates, an entry read alone while no handler runs is handled on the thread that read
         * it, when handling has recently averaged under this (default 200 µs): the hand-off to a
         * handler thread costs more than such a handler. While that run lasts the stream is not
         * read, so a usually quick handler that is slow once delays the entries behind it by that
         * long. {@link Duration#ZERO}: always hand off. Never with a {@link #handlerTimeout}.
         */
        public Builder inlineBelow(Duration d) {
            this.inlineBelow = Durations.nonNegative(d, "inline threshold");
            return this;
        }

        /**
         * How long a handler may run before its thread is interrupted and the run counts as a
         * failed attempt (default: no limit). A handler that ignores the interrupt loses its lease:
         * its entry is claimed back after the visibility timeout.
         */
        public Builder handlerTimeout(Duration d) {
            this.handlerTimeout = Durations.positive(d, "handler timeout");
            return this;
        }

        /**
         * How long an entry may stay unacknowledged before another worker claims it (default 60 s).
         * A live worker renews the lease of the entries it holds, so a slow handler is never run
         * twice at once; only a worker that died or hangs loses them.
         */
        public Builder visibilityTimeout(Duration d) {
            this.visibilityTimeout = Durations.positive(d, "visibility timeout");
            return this;
        }

        /**
         * Whether each record is checked against its constraints before its handler runs (default
         * true), dead-lettering an invalid one ({@code invalid}). Senders through the SDK and the
         * brokers (for the inbox) have checked it already; the check at receipt guards against
         * anyone else who can write a topic or the service's stream. Turn it off only where Redis
         * ACL users (docs/security.md) let no one but the owner's SDK write them: it is about a
         * seventh of a receiving worker's CPU (docs/bus.md, "Where the CPU goes").
         */
        public Builder validateOnReceipt(boolean validate) {
            this.validateOnReceipt = validate;
            return this;
        }

        /** How long results are kept (default 15 min, in one-minute buckets). */
        public Builder resultRetention(Duration d) {
            this.resultRetention = Durations.positive(d, "result retention");
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

    /**
     * One read: takes the free slots, claims back abandoned entries now and then, else reads new
     * ones; what it read goes to the handlers. Slots it took but did not fill are given back.
     */
    private final class FetchRound implements ConsumerLoop.Round {
        private final Source source;
        private final ConsumerGroup group;
        private final long claimEveryMs = Math.max(50, visibilityMs / 4);
        private int emptyReads;
        private long nextClaimAt = System.currentTimeMillis() + claimEveryMs;
        private boolean lastReadFull;
        private int held;

        FetchRound(Source source) {
            this.source = source;
            this.group = source.group;
        }

        @Override
        public void run() throws InterruptedException {
            boolean several = sources.size() > 1;
            if (several && !lastReadFull && System.currentTimeMillis() < nextClaimAt) {
                waitForEntries();
                return;
            }
            if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                return;
            }
            int n = 1 + slots.drainPermits();
            if (n < concurrency / 2 && readLingerNanos > 0 && lastReadFull) {
                // busy (the last read filled every free slot): let a few more handlers finish so
                // that one XREADGROUP fetches for several slots instead of waking for each one
                java.util.concurrent.locks.LockSupport.parkNanos(SLOT_LINGER_NANOS);
                n += slots.drainPermits();
            }
            if (n > 256) {
                slots.release(n - 256);
                n = 256;
            }
            held = n;
            long now = System.currentTimeMillis();
            if (now >= nextClaimAt) {
                nextClaimAt = now + claimEveryMs;
                int used = claimAbandoned(source, n);
                if (used > 0) {
                    held = 0;
                    slots.release(n - used);
                    return;
                }
            }
            Map<StreamMessageId, Map<String, String>> batch = group.readNew(n, lastReadFull || several ? null : ConsumerGroup.blockFor(emptyReads));
            int got = batch.size();
            emptyReads = got == 0 ? emptyReads + 1 : 0;
            held = 0;
            lastReadFull = got == n;
            if (got < n) {
                slots.release(n - got);
            }
            if (got > 0) {
                dispatch(source, batch, got == 1);
                if (got < n && readLingerNanos > 0) {
                    // a short read at a low rate: let a few more events arrive so the next
                    // XREADGROUP fetches several (like a producer's linger; bounds commands per event)
                    java.util.concurrent.locks.LockSupport.parkNanos(readLingerNanos);
                }
            }
        }

        /**
         * With several streams to read, each reader waits for entries without holding slots
         * (one holding them while its stream is quiet would starve the busy ones), then takes a
         * slot for each entry it got, in turn: at most its share of entries waits for a slot,
         * leased meanwhile, so that no other worker claims them back.
         */
        private void waitForEntries() throws InterruptedException {
            int share = Math.max(1, concurrency / sources.size());
            Map<StreamMessageId, Map<String, String>> batch = group.readNew(share, ConsumerGroup.blockFor(emptyReads));
            if (batch.isEmpty()) {
                emptyReads++;
                return;
            }
            emptyReads = 0;
            List<Held> waiting = new ArrayList<>();
            batch.keySet().forEach(id -> waiting.add(new Held(source, id)));
            leased.addAll(waiting);
            int i = 0;
            for (Map.Entry<StreamMessageId, Map<String, String>> e : batch.entrySet()) {
                while (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    if (!running) {
                        // left pending: claimed back after the visibility timeout
                        waiting.subList(i, waiting.size()).forEach(leased::remove);
                        return;
                    }
                }
                dispatch(source, java.util.Collections.singletonMap(e.getKey(), e.getValue()), batch.size() == 1);
                i++;
            }
            lastReadFull = batch.size() == share;
            if (!lastReadFull && readLingerNanos > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(readLingerNanos);
            }
        }

        @Override
        public void failed(Throwable t) {
            if (held > 0) {
                slots.release(held);
                held = 0;
            }
        }
    }

    /**
     * Hands the entries to handler threads, or — when {@code onlyEntryOfRead} (the read that
     * fetched it found nothing else), no handler runs, handling has averaged under
     * {@link Builder#inlineBelow} and no handler timeout must interrupt it — runs the one entry on
     * this reading thread: at low rates the hand-off (a wake-up and a park per delivery) was most
     * of the CPU and part of the latency. The price: while such a run lasts, this stream is not
     * read; a usually quick handler that is slow once delays the entries behind it by that long
     * (it then counts in the average, which sends the next ones to handler threads).
     */
    private void dispatch(Source source, Map<StreamMessageId, Map<String, String>> batch, boolean onlyEntryOfRead) {
        boolean inline = onlyEntryOfRead && batch.size() == 1 && handlerTimeoutNanos == 0 && runners.get() == 0
                && processNanos < inlineBelowNanos;
        for (Map.Entry<StreamMessageId, Map<String, String>> e : batch.entrySet()) {
            Held id = new Held(source, e.getKey());
            Map<String, String> fields = e.getValue();
            inFlight.incrementAndGet();
            leased.add(id);
            if (inline) {
                timedProcess(id, fields);
                continue;
            }
            try {
                submit(() -> timedProcess(id, fields));
            } catch (RuntimeException rejected) {
                inFlight.decrementAndGet();
                slots.release();
            }
        }
    }

    /** Entries whose processing takes longer on average than this are not run on a reading thread ({@link Builder#inlineBelow}). */
    private final long inlineBelowNanos;
    /**
     * The recent average time to process an entry (exponentially weighted, 1/16 per entry); it
     * starts high, so that the first entries run on handler threads and teach it the handlers' pace.
     */
    private volatile long processNanos = Long.MAX_VALUE / 2;

    private void timedProcess(Held id, Map<String, String> fields) {
        long t0 = System.nanoTime();
        try {
            process(id, fields);
        } finally {
            long took = System.nanoTime() - t0;
            long avg = processNanos;
            processNanos = avg >= Long.MAX_VALUE / 4 ? took : avg + (took - avg) / 16; // a lost update only delays learning
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
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // the pool is shutting down: the runners still going drain the queue
                    runners.decrementAndGet();
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
        final DeadLetter.Reason reason;

        Undeliverable(DeadLetter.Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private void process(Held id, Map<String, String> fields) {
        String raw = fields == null ? null : fields.get(RedisKeys.FIELD_EVENT);
        int attempt = intField(fields, RedisKeys.FIELD_ATTEMPT, 1);
        int handbacks = intField(fields, RedisKeys.FIELD_HANDBACKS, 0);
        String type = null;
        try {
            if (raw == null) {
                throw new Undeliverable(DeadLetter.Reason.MALFORMED, "stream entry without an 'event' field: " + fields);
            }
            Envelope.Read read;
            try {
                read = Envelope.read(raw, this::handledClass);
            } catch (HeraldException ex) {
                throw new Undeliverable(DeadLetter.Reason.MALFORMED, ex.getMessage());
            }
            Envelope env = read.envelope();
            type = env.type();
            if (id.source().topic && service.equals(env.sourceService())) {
                // this service sent it: on the topic its group sees it too (notifySelf sends a copy to its own stream)
                outcomes.add(Outcome.ok(id, null, null));
                return;
            }
            EventContext ctx = context(env, attempt, false);
            Object result;
            long started = System.nanoTime();
            // the event's trace is current while its handler runs: what the handler sends continues it
            String traceBefore = TraceContext.enter(env.traceparent());
            BusTracing.Process span = tracing.startProcess(service, id.source().topic ? messenger.topicGroup() : RedisKeys.WORKER_GROUP, env, attempt);
            try {
                if (handlerTimeoutNanos > 0) {
                    RunningHandler handler = new RunningHandler();
                    runningHandlers.put(id, handler);
                    try {
                        result = invoke(env, read.data(), ctx);
                    } finally {
                        handler.finish();
                        runningHandlers.remove(id);
                    }
                } else {
                    result = invoke(env, read.data(), ctx);
                }
            } catch (Throwable t) {
                span.failed(t);
                throw t;
            } finally {
                span.close();
                TraceContext.restore(traceBefore);
            }
            handled.incrementAndGet();
            metrics.handled(service, type, System.nanoTime() - started,
                    ctx.time() == null ? -1 : System.currentTimeMillis() - ctx.time().toEpochMilli());
            outcomes.add(Outcome.ok(id, env.id(), result));
        } catch (Undeliverable u) {
            Messenger.Peer peer = u.reason == DeadLetter.Reason.NO_HANDLER ? messenger.anotherInstanceHandles(type) : Messenger.Peer.NONE;
            // a live peer whose worker handles it gets it sooner or later, however many instances lack the handler;
            // one still starting gets the delivery limit's worth of hand-backs
            if (peer == Messenger.Peer.HANDLES || (peer == Messenger.Peer.STARTING && handbacks < deliveryLimit.max())) {
                // a rolling deploy or a canary: another live instance of this service handles it
                handedBack.incrementAndGet();
                outcomes.add(Outcome.handBack(id, raw, attempt, handbacks + 1, System.currentTimeMillis() + handBackDelay(handbacks)));
                return;
            }
            String error = u.reason == DeadLetter.Reason.NO_HANDLER && handbacks > 0
                    ? u.getMessage() + " (handed back " + handbacks + " times first)" : u.getMessage();
            deadLettered.incrementAndGet();
            metrics.deadLettered(service, type, u.reason.wire());
            outcomes.add(Outcome.dead(id, raw, u.reason, error, attempt - 1));
        } catch (Throwable t) {
            failed.incrementAndGet();
            String error = t.getClass().getName() + ": " + t.getMessage();
            boolean dead = isNonRetryable(t) || attempt >= maxAttempts;
            metrics.failed(service, type, !dead);
            if (dead) {
                DeadLetter.Reason reason = isNonRetryable(t) ? DeadLetter.Reason.NON_RETRYABLE : DeadLetter.Reason.HANDLER_FAILED;
                deadLettered.incrementAndGet();
                metrics.deadLettered(service, type, reason.wire());
                outcomes.add(Outcome.dead(id, raw, reason, error, attempt));
            } else {
                outcomes.add(Outcome.retry(id, raw, attempt + 1, 0, System.currentTimeMillis() + backoff(attempt)));
            }
        } finally {
            inFlight.decrementAndGet();
            slots.release();
        }
    }

    /** The record class a typed handler of this worker takes for {@code type}, or null. */
    private Class<?> handledClass(String type) {
        Class<?> cls = catalog.recordClass(type).orElse(null);
        return cls != null && typed.containsKey(cls) ? cls : null;
    }

    /** Runs the handler of {@code env}; {@code data}: its data already read into the handler's record class, or null. */
    private Object invoke(Envelope env, Object data, EventContext ctx) throws Exception {
        Class<?> cls = catalog.recordClass(env.type()).orElse(null);
        EventHandler<Object> h = cls == null ? null : typed.get(cls);
        if (h != null) {
            Object record = cls.isInstance(data) ? data : null;
            try {
                if (record == null) {
                    record = Json.mapper().treeToValue(env.data(), cls);
                }
            } catch (Exception e) {
                throw new Undeliverable(DeadLetter.Reason.UNDESERIALIZABLE, "cannot read data as " + cls.getSimpleName() + ": " + e.getMessage());
            }
            List<String> violations = validateOnReceipt ? RecordValidation.violations(record) : List.of();
            if (!violations.isEmpty()) {
                throw new Undeliverable(DeadLetter.Reason.INVALID, "invalid on receipt: " + String.join("; ", violations));
            }
            return h.handle(record, ctx);
        }
        if (any != null) {
            return any.handle(env, ctx);
        }
        throw new Undeliverable(DeadLetter.Reason.NO_HANDLER, "no handler for " + env.type() + " in this worker of " + service
                + ", and no other live instance of " + service + " handles it");
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

    /** A counter field of a stream entry; absent or unreadable: {@code min}. */
    private static int intField(Map<String, String> fields, String name, int min) {
        String a = fields == null ? null : fields.get(name);
        try {
            return a == null ? min : Math.max(min, Integer.parseInt(a));
        } catch (NumberFormatException e) {
            return min;
        }
    }

    /** The event names this worker has a handler for; {@code *} for a catch-all. */
    List<String> handledTypes() {
        List<String> out = new ArrayList<>();
        typed.keySet().forEach(c -> catalog.eventFor(c).ifPresent(info -> out.add(info.name())));
        if (any != null) {
            out.add("*");
        }
        return out;
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
                    invoke(env, null, context(env, 1, true));
                } catch (Exception e) {
                    LOG.warn("broadcast {} {} failed in {} (not retried): {}", env.type(), env.id(), service, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("unreadable broadcast ignored: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ acknowledging

    /** What became of one entry: handled (with a result), dead-lettered, or due again later (a retry or a hand-back). */
    private record Outcome(Held id, String eventId, Object result, String raw, DeadLetter.Reason reason,
                           String error, int attempts, int nextAttempt, int handbacks, long dueAt) {
        /** Not an entry: wakes the flusher on close, so that an idle flusher may sleep a whole second. */
        static final Outcome WAKE = new Outcome(null, null, null, null, null, null, 0, 0, 0, 0);

        static Outcome ok(Held id, String eventId, Object result) {
            return new Outcome(id, eventId, result, null, null, null, 0, 0, 0, 0);
        }

        static Outcome dead(Held id, String raw, DeadLetter.Reason reason, String error, int attempts) {
            return new Outcome(id, null, null, raw, reason, error, attempts, 0, 0, 0);
        }

        static Outcome retry(Held id, String raw, int nextAttempt, int handbacks, long dueAt) {
            return new Outcome(id, null, null, raw, null, null, 0, nextAttempt, handbacks, dueAt);
        }

        /** The same attempt again, after another instance had a chance to take it. */
        static Outcome handBack(Held id, String raw, int attempt, int handbacks, long dueAt) {
            return retry(id, raw, attempt, handbacks, dueAt);
        }

        /** The retry set's member: {@code <attempt>[,<handbacks>]\n<envelope>} (see MOVE_DUE). */
        String retryMember() {
            return nextAttempt + (handbacks > 0 ? "," + handbacks : "") + "\n" + raw;
        }
    }

    private void flushLoop() {
        List<Outcome> batch = new ArrayList<>();
        while (flushing || !outcomes.isEmpty()) {
            try {
                Outcome first = outcomes.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, 4096);
                // at low rates, wait a moment for more outcomes: one XACK for several events
                // (handlers already ran; only the acknowledgement and the results are later)
                // (a plain sleep, then one drain: polling here would make every finishing handler
                // wake this thread, up to 64 times per round)
                if (batch.size() < 64 && flushing && ackLingerNanos > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(ackLingerNanos);
                    outcomes.drainTo(batch, 4096);
                }
                batch.removeIf(o -> o == Outcome.WAKE);
                if (batch.isEmpty()) {
                    continue;
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
        List<Held> handled = new ArrayList<>(batch.size());
        Map<Outcome, RFuture<?>> writes = new LinkedHashMap<>();
        String now = Envelope.now();
        for (Outcome o : batch) {
            if (o.reason() != null) {
                Map<String, String> f = DeadLetter.entry(o.raw(), o.reason(), o.error(), o.attempts(), now, consumer);
                writes.put(o, b.<String, String>getStream(keys.serviceDead(service), StringCodec.INSTANCE).addAsync(DeadLetter.add(f, deadLetterRetention)));
            } else if (o.nextAttempt() > 0) {
                writes.put(o, b.getScoredSortedSet(keys.serviceRetry(service), StringCodec.INSTANCE)
                        .addAsync(o.dueAt(), o.retryMember()));
            } else {
                handled.add(o.id());
                if (o.result() != null && o.eventId() != null) {
                    results.put(o.eventId(), toJson(o.result()));
                }
            }
        }
        RFuture<?> resultWrite = null;
        RFuture<Boolean> expiry = null;
        long bucket = System.currentTimeMillis() / RESULT_BUCKET_MS;
        if (!results.isEmpty()) {
            String key = keys.serviceResults(service, bucket);
            resultWrite = b.<String, String>getMap(key, StringCodec.INSTANCE).putAllAsync(results);
            if (bucket != expiredBucket) {
                expiry = b.getMap(key, StringCodec.INSTANCE).expireAsync(Duration.ofMillis(resultRetentionMs + RESULT_BUCKET_MS));
            }
        }
        List<RFuture<Long>> handledAcks = new ArrayList<>(2);
        bySource(handled).forEach((source, ids) -> handledAcks.add(source.group.ackIn(b, ids)));
        try {
            b.execute();
        } catch (RuntimeException e) {
            LOG.debug("worker of {}: pipeline: {}", service, e.toString()); // each write's own reply says which failed
        }
        List<Outcome> refused = new ArrayList<>();
        String ackError = null;
        for (RFuture<Long> ack : handledAcks) {
            ackError = ackError != null ? ackError : Replies.failure(ack);
        }
        if (ackError != null) {
            // acknowledged again with the next flush (an XACK is idempotent); the written retries
            // and dead letters below are not written twice
            batch.stream().filter(o -> o.reason() == null && o.nextAttempt() == 0).forEach(refused::add);
            LOG.warn("worker of {} cannot acknowledge {} handled entries, will retry: {}", service, handled.size(), ackError);
        } else {
            handled.forEach(leased::remove);
            if (!handled.isEmpty()) {
                acknowledgedSinceTrim = true;
            }
        }
        if (expiry != null && Replies.failure(expiry) == null && Boolean.TRUE.equals(expiry.toCompletableFuture().getNow(false))) {
            expiredBucket = bucket; // set once the bucket exists and took its time to live; else tried again next round
        }
        if (resultWrite != null && Replies.failure(resultWrite) != null) {
            LOG.warn("worker of {}: {} handler results not retained: {}", service, results.size(), Replies.failure(resultWrite));
        }
        List<Held> written = new ArrayList<>();
        String firstError = ackError; // null unless the acknowledgement of handled entries failed
        for (Map.Entry<Outcome, RFuture<?>> w : writes.entrySet()) {
            String error = Replies.failure(w.getValue());
            if (error == null) {
                written.add(w.getKey().id());
                if (w.getKey().nextAttempt() > 0) {
                    wakeMover(w.getKey().dueAt());
                }
            } else {
                refused.add(w.getKey());
                firstError = firstError == null ? error : firstError;
            }
        }
        if (!written.isEmpty()) {
            try {
                bySource(written).forEach((source, ids) -> source.group.ack(ids));
                written.forEach(leased::remove);
                acknowledgedSinceTrim = true;
            } catch (RuntimeException e) {
                // their retries and dead letters are written: only the acknowledgement is left to do
                written.forEach(id -> refused.add(Outcome.ok(id, null, null)));
                firstError = firstError == null ? e.toString() : firstError;
            }
        }
        if (!refused.isEmpty()) {
            LOG.warn("worker of {}: Redis refused the outcome of {} entries (retry, dead letter or acknowledgement); they stay pending and are written again: {}",
                    service, refused.size(), firstError);
        }
        return refused;
    }

    private static Map<Source, List<StreamMessageId>> bySource(List<Held> entries) {
        Map<Source, List<StreamMessageId>> out = new LinkedHashMap<>();
        for (Held h : entries) {
            out.computeIfAbsent(h.source(), k -> new ArrayList<>()).add(h.id());
        }
        return out;
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
            bySource(List.copyOf(leased)).forEach((source, ids) -> source.group.renew(ids));
        } catch (RuntimeException e) {
            if (running && !redisson.isShuttingDown()) {
                LOG.warn("worker of {}: cannot renew leases ({}); entries may be claimed back by another worker", service, e.toString());
            }
        }
    }

    /** The mover's next run, and when it is (epoch ms); replaced by an earlier wake-up. */
    private java.util.concurrent.ScheduledFuture<?> moverRun;
    private long moverAt = Long.MAX_VALUE;

    /** Makes the retry mover run at {@code atMillis} (or now) unless it runs earlier anyway. */
    private synchronized void wakeMover(long atMillis) {
        if (scheduler.isShutdown() || (moverRun != null && !moverRun.isDone() && moverAt <= atMillis)) {
            return;
        }
        if (moverRun != null) {
            moverRun.cancel(false);
        }
        moverAt = atMillis;
        try {
            moverRun = scheduler.schedule(this::moveDueRetries, Math.max(0, atMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            moverRun = null;
        }
    }

    /** Moves what is due; then sleeps until the earliest retry left is due (at most {@link #RETRY_POLL_MS}). */
    private void moveDueRetries() {
        long now = System.currentTimeMillis();
        long next = now + RETRY_POLL_MS;
        try {
            Long due = redisson.getScript(StringCodec.INSTANCE).eval(keys.serviceRetry(service), RScript.Mode.READ_WRITE, MOVE_DUE,
                    RScript.ReturnType.LONG, List.of(keys.serviceRetry(service), keys.serviceStream(service)),
                    Long.toString(now), "200");
            if (due != null && due >= 0) {
                next = Math.min(next, due); // 0: a full batch moved, more are due now
            }
        } catch (RuntimeException e) {
            if (running && !redisson.isShutdown()) {
                LOG.debug("retry mover: {}", e.toString());
            }
            next = now + Math.min(RETRY_POLL_MS, 250); // Redis refused or went away: try again soon
        }
        synchronized (this) {
            moverRun = null;
            moverAt = Long.MAX_VALUE;
        }
        wakeMover(next);
    }

    /**
     * Claims entries idle for longer than the visibility timeout (their worker died or hangs),
     * using {@code n} slots the fetch loop holds; returns how many slots it used. An entry
     * delivered more than the delivery limit is dead-lettered instead: its handler never finished,
     * it killed or hung its worker every time.
     */
    private int claimAbandoned(Source source, int n) {
        ConsumerGroup.Claimed claimed = source.group.claimIdle(Duration.ofMillis(visibilityMs), n);
        if (claimed.isEmpty()) {
            return 0;
        }
        LOG.info("worker of {} claimed back {} entries of {} abandoned for more than {} ms", service, claimed.entries().size(),
                source.group.streamKey(), visibilityMs);
        Map<StreamMessageId, Map<String, String>> toRun = new LinkedHashMap<>();
        claimed.entries().forEach((id, fields) -> {
            long deliveries = claimed.deliveriesOf(id);
            if (deliveryLimit.exceededBy(deliveries)) {
                slots.release();
                deadLettered.incrementAndGet();
                metrics.deadLettered(service, null, DeadLetter.Reason.DELIVERY_LIMIT.wire());
                outcomes.add(Outcome.dead(new Held(source, id), fields == null ? null : fields.get(RedisKeys.FIELD_EVENT), DeadLetter.Reason.DELIVERY_LIMIT,
                        deliveryLimit.describe(deliveries, "never acknowledged: its handler crashed or hung its worker each time"),
                        (int) Math.min(deliveries - 1, Integer.MAX_VALUE)));
            } else {
                toRun.put(id, fields);
            }
        });
        dispatch(source, toRun, false);
        return claimed.entries().size();
    }

    /** Set when entries were acknowledged: only then can the own stream be trimmed (idle workers send nothing). */
    private volatile boolean acknowledgedSinceTrim = true;
    private long deadLettersTrimmedAt;

    /** Removes acknowledged entries (after acknowledgements), and dead letters past their retention (every minute). */
    private void trim() {
        if (!running) {
            return;
        }
        try {
            if (acknowledgedSinceTrim) {
                acknowledgedSinceTrim = false;
                try {
                    own.group.trimAcknowledged(); // topics are trimmed by the brokers, who see every group's registration
                } catch (RuntimeException e) {
                    acknowledgedSinceTrim = true; // tried again in the next round, not only after the next acknowledgement
                    throw e;
                }
            }
            long now = System.currentTimeMillis();
            if (now - deadLettersTrimmedAt >= 60_000) {
                deadLettersTrimmedAt = now;
                messenger.deadLetters().trim(deadLetterRetention);
            }
        } catch (RuntimeException e) {
            LOG.debug("trim: {}", e.toString());
        }
    }

    /** Starts reading the topic of {@code type} (creating this service's group on it if missing), unless it does already. */
    private synchronized Source addTopic(String type) {
        String key = keys.topic(type);
        for (Source s : sources) {
            if (s.group.streamKey().equals(key)) {
                return null;
            }
        }
        ConsumerGroup group = new ConsumerGroup(redisson, key, messenger.topicGroup(), consumer, messenger::groupStart);
        group.ensure();
        Source s = new Source(group, true);
        sources.add(s);
        return s;
    }

    /** Topics of types this service's patterns match but its catalog does not know (sent by newer services): read them too. */
    private List<String> addAnnouncedTopics() {
        List<String> added = new ArrayList<>();
        try {
            for (String type : new Topics(redisson, keys).announced()) {
                if (messenger.listens(type) && catalog.event(type).isEmpty()) {
                    Source s = addTopic(type);
                    if (s != null) {
                        added.add(type);
                        if (own.thread.isAlive()) {
                            s.thread.start();
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running && !redisson.isShuttingDown()) {
                LOG.debug("worker of {}: cannot read the known topics: {}", service, e.toString());
            }
        }
        return added;
    }

    private void findNewTopics() {
        if (running) {
            List<String> added = addAnnouncedTopics();
            if (!added.isEmpty()) {
                LOG.info("worker of {} now reads the topics of {} too (types its catalog does not know)", service, added);
            }
        }
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

    /** Events handed back for another instance of the service (this worker had no handler for them). */
    public long handedBackCount() {
        return handedBack.get();
    }

    /**
     * Whether the read loop completed a round within {@code within}: false while it is stuck
     * (Redis hangs, or a round never ends), whatever timers still fire. An inert worker
     * ({@code enableWorkers(false)}) counts as live.
     */
    public boolean live(Duration within) {
        if (!consuming) {
            return true;
        }
        for (Source s : sources) {
            if (!running || !s.thread.isAlive() || s.loop.millisSinceLastRound() > within.toMillis()) {
                return false;
            }
        }
        return true;
    }

    /** When every read loop of this worker last completed a round (epoch ms): a health check's measure of a stuck worker. */
    public long lastReadAt() {
        return lastRoundAt();
    }

    /** When the read loop last completed a round (epoch ms). */
    long lastRoundAt() {
        if (!consuming) {
            return System.currentTimeMillis();
        }
        long oldest = Long.MAX_VALUE;
        for (Source s : sources) {
            oldest = Math.min(oldest, s.loop.lastRoundAt());
        }
        return oldest;
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
        try {
            for (Source s : sources) {
                s.thread.join(2_000);
            }
            handlers.shutdown();
            // leases are renewed while the running handlers drain: no other worker takes their entries meanwhile
            if (!handlers.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("worker of {}: {} handlers still running after {}; their entries will be claimed back", service, inFlight.get(), drainTimeout);
                handlers.shutdownNow();
            }
            flushing = false;
            outcomes.add(Outcome.WAKE);
            flusher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scheduler.shutdownNow();
        }
        messenger.stopped(this);
    }

    /** Events being handled right now. */
    public int inFlight() {
        return inFlight.get();
    }

    static void sleepQuietly(long ms) {
        Threads.sleep(ms);
    }
}
