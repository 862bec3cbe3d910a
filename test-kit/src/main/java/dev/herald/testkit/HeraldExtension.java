package dev.herald.testkit;

import dev.herald.broker.Broker;
import dev.herald.broker.EmbeddedRedis;
import dev.herald.runtime.Catalog;
import dev.herald.runtime.DeadLetters;
import dev.herald.runtime.EventDescriptor;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.ServiceDescriptor;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * JUnit 5 extension: a real Redis (the embedded redis-server, on a free loopback port) and an
 * in-process {@link Broker}, so that a test can send an event and await what its handler did.
 *
 * <pre>{@code
 * class PaymentTest {
 *     @RegisterExtension
 *     static final HeraldExtension herald = HeraldExtension.create();
 *
 *     @Test
 *     void chargesEveryOrder() {
 *         Messenger payment = herald.messenger(ServiceName.PAYMENT, EventType.ORDER_CREATED);
 *         List<OrderCreated> seen = new CopyOnWriteArrayList<>();
 *         payment.worker().on(OrderCreated.class, (e, ctx) -> seen.add(e)).start();
 *         payment.register().join();
 *         herald.messenger(ServiceName.ORDER).send(new OrderCreated(...));
 *         await().untilAsserted(() -> assertThat(seen).hasSize(1));
 *     }
 * }
 * }</pre>
 *
 * <p>Redis and the broker start once per test class (static field) or per test (instance field).
 * After each test the messengers made through the extension are closed (their workers drained)
 * and Redis is emptied ({@code FLUSHALL}), so tests do not see each other's events. Everything
 * is stopped after the class; no redis-server outlives the JVM.
 */
public final class HeraldExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String namespace;
    private final Catalog catalog;
    private final int brokerConcurrency;
    private final Duration brokerClaimIdle;
    private final boolean flushAfterEach;
    private final boolean cluster;

    private EmbeddedRedis redis;
    private dev.herald.broker.EmbeddedRedisCluster redisCluster;
    private dev.herald.runtime.RedisConnection connection;
    private RedissonClient client;
    private Broker broker;
    private boolean startedPerClass;
    private final List<AutoCloseable> perTest = new ArrayList<>();

    private HeraldExtension(Builder b) {
        this.namespace = b.namespace;
        this.catalog = b.catalog;
        this.brokerConcurrency = b.brokerConcurrency;
        this.brokerClaimIdle = b.brokerClaimIdle;
        this.flushAfterEach = b.flushAfterEach;
        this.cluster = b.cluster;
    }

    /** Defaults: the class path's catalog and namespace, a 2-thread broker, flush after each test. */
    public static HeraldExtension create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link HeraldExtension}. */
    public static final class Builder {
        private String namespace;
        private Catalog catalog;
        private int brokerConcurrency = 2;
        private Duration brokerClaimIdle = Duration.ofSeconds(2);
        private boolean flushAfterEach = true;
        private boolean cluster;

        /**
         * Runs the tests on a local Redis Cluster (three primaries with a replica each, from the
         * embedded redis-server) instead of one server; connect with {@link HeraldExtension#connection()}.
         */
        public Builder cluster(boolean on) {
            this.cluster = on;
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

        public Builder brokerConcurrency(int n) {
            this.brokerConcurrency = n;
            return this;
        }

        /** How soon the broker claims inbox entries of a dead broker (default 2 s in tests). */
        public Builder brokerClaimIdle(Duration d) {
            this.brokerClaimIdle = d;
            return this;
        }

        /** Whether Redis is emptied after each test (default true). */
        public Builder flushAfterEach(boolean flush) {
            this.flushAfterEach = flush;
            return this;
        }

        public HeraldExtension build() {
            return new HeraldExtension(this);
        }
    }

    // ------------------------------------------------------------------ JUnit callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
        startedPerClass = true;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (connection == null) {
            start();
        }
        if (broker == null || !broker.running()) {
            startBroker();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeTracked();
        if (!startedPerClass) {
            stop();
        } else if (flushAfterEach && client != null && !client.isShutdown()) {
            client.getKeys().flushall();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts Redis and the broker (the callbacks do it; call it yourself outside JUnit). */
    public synchronized void start() {
        if (connection != null) {
            return;
        }
        if (cluster) {
            redisCluster = dev.herald.broker.EmbeddedRedisCluster.start();
            connection = redisCluster.connection();
        } else {
            redis = EmbeddedRedis.start();
            connection = dev.herald.runtime.RedisConnection.url(redis.url());
        }
        client = connection.connect();
        startBroker();
    }

    /** Stops the broker, the client and Redis. */
    public synchronized void stop() {
        closeTracked();
        try {
            if (broker != null) {
                broker.close();
            }
            if (client != null) {
                client.shutdown();
            }
        } finally {
            broker = null;
            client = null;
            if (redis != null) {
                redis.close();
                redis = null;
            }
            if (redisCluster != null) {
                redisCluster.close();
                redisCluster = null;
            }
            connection = null;
        }
    }

    private void closeTracked() {
        for (int i = perTest.size() - 1; i >= 0; i--) {
            try {
                perTest.get(i).close();
            } catch (Exception e) {
                // best effort: the next test starts from a flushed Redis anyway
            }
        }
        perTest.clear();
    }

    /** Starts a (new) in-process broker if none is running; returns it. */
    public synchronized Broker startBroker() {
        if (broker == null || !broker.running()) {
            broker = Broker.builder().redisson(client).namespace(namespace).catalog(catalog)
                    .concurrency(brokerConcurrency).claimIdle(brokerClaimIdle).start();
        }
        return broker;
    }

    /** Stops the broker (finishing its batch in progress); events keep collecting in the inbox. */
    public synchronized void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Stops the broker and starts a new instance (fresh state, same Redis). */
    public Broker restartBroker() {
        stopBroker();
        return startBroker();
    }

    // ------------------------------------------------------------------ what tests use

    /** The URL of the single Redis server (a cluster has none: use {@link #connection()}). */
    public String redisUrl() {
        requireSingle("redisUrl()");
        return redis.url();
    }

    public int redisPort() {
        requireSingle("redisPort()");
        return redis.port();
    }

    /** How to reach the extension's Redis, one server or the local cluster, e.g. for {@code Messenger.builder().redis(...)}. */
    public dev.herald.runtime.RedisConnection connection() {
        return connection;
    }

    /** The local cluster, to kill a node in a test; null on a single server. */
    public dev.herald.broker.EmbeddedRedisCluster cluster() {
        return redisCluster;
    }

    private void requireSingle(String what) {
        if (redis == null) {
            throw new IllegalStateException(what + " is for a single Redis server; this extension runs a cluster (or has not started): use connection()");
        }
    }

    /** The extension's Redis client (shared; do not shut it down). */
    public RedissonClient redisson() {
        return client;
    }

    /** A new Redis client, like another process would have; shut down after the test. */
    public RedissonClient newClient() {
        RedissonClient c = connection.connect();
        perTest.add(() -> {
            if (!c.isShutdown()) {
                c.shutdown();
            }
        });
        return c;
    }

    public Broker broker() {
        return broker;
    }

    /** What the broker refused, with reasons. */
    public DeadLetters brokerDeadLetters() {
        return broker.deadLetters();
    }

    /** A messenger builder already pointing at this Redis and namespace; build() is tracked and closed after the test. */
    public Messenger messenger(ServiceDescriptor service, EventDescriptor... listensTo) {
        return messenger(service.wireName(), b -> b.listensTo(listensTo));
    }

    /** A messenger for {@code service} listening to the patterns, closed after the test. */
    public Messenger messenger(String service, String... listensTo) {
        return messenger(service, b -> b.listensTo(listensTo));
    }

    /** A messenger configured further by {@code config} (redisson and namespace are set), closed after the test. */
    public Messenger messenger(String service, Consumer<Messenger.Builder> config) {
        Messenger.Builder b = Messenger.builder().redisson(client).service(service).namespace(namespace).catalog(catalog);
        config.accept(b);
        return closeAfterTest(b.build());
    }

    /** Closes {@code resource} after the current test, before Redis is flushed. */
    public <T extends AutoCloseable> T closeAfterTest(T resource) {
        perTest.add(resource);
        return resource;
    }
}
