package dev.herald.broker;

import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.DeadLetter;
import dev.herald.runtime.Json;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.sdk.EventType;
import dev.herald.sdk.Money;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInfo;
import org.redisson.client.codec.StringCodec;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults that are not crashes, on a real Redis, for what the broker carries: events a producer
 * without the SDK writes into the inbox, appended by the broker to their topic. A write Redis
 * refuses (on the topic) must leave its inbox entry
 * pending (retried, dead-lettered after the delivery limit), never acknowledged and dropped; a bad
 * registration must not stop the routes of every other service. Each test counts what was sent,
 * handled and dead-lettered, and asserts that nothing was lost.
 */
class BrokerFaultTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    String ns;
    RedisKeys keys;
    Broker broker;
    Messenger order;
    InboxProducer gateway;
    String topic;
    Messenger payment;
    final Set<UUID> handled = ConcurrentHashMap.newKeySet();
    dev.herald.runtime.fixtures.Ledger ledger;
    final java.util.concurrent.atomic.AtomicInteger handlerRuns = new java.util.concurrent.atomic.AtomicInteger();



    @BeforeEach
    void services(TestInfo test) {
        ns = "fault-" + test.getTestMethod().orElseThrow().getName();
        ledger = new dev.herald.runtime.fixtures.Ledger(test.getDisplayName());
        keys = new RedisKeys(ns);
        payment = Messenger.builder().redisson(redis.client()).namespace(ns).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED).build();
        order = Messenger.builder().redisson(redis.client()).namespace(ns).service(ServiceName.ORDER).build();
        gateway = new InboxProducer(redis.client(), keys, ServiceName.ORDER.wireName());
        topic = keys.topic(EventType.ORDER_CREATED.wireName());
        payment.worker().on(OrderCreated.class, (e, ctx) -> {
            handlerRuns.incrementAndGet();
            ledger.handled("payment", ctx.id());
            return handled.add(e.orderId());
        }).start();
        payment.register().join();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        order.close();
        payment.close();
        redis.command("CONFIG", "SET", "maxmemory", "0");
    }

    Broker startBroker(int maxDeliveries) {
        broker = Broker.builder().redisson(redis.client()).namespace(ns).concurrency(1).maxDeliveries(maxDeliveries)
                .claimIdle(Duration.ofSeconds(30)).start();
        return broker;
    }

    static OrderCreated anOrder() {
        return OrderCreated.builder().orderId(UUID.randomUUID()).accountId(UUID.randomUUID())
                .items(List.of(new OrderCreated.Item("SKU-1234", 1, new Money(new BigDecimal("9.95"), "EUR"))))
                .total(new Money(new BigDecimal("9.95"), "EUR")).createdAt(Instant.now()).build();
    }

    Set<UUID> send(int n) {
        Set<UUID> sent = new HashSet<>();
        for (int i = 0; i < n; i++) {
            OrderCreated e = anOrder();
            ledger.sent(gateway.send(e));
            sent.add(e.orderId());
        }
        return sent;
    }

    static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Settles the ledger: payment's and the broker's dead letters count, nothing may be lost. */
    void settle(String fault, String test) {
        ledger.named(fault);
        ledger.deadLettered("payment", payment.deadLetters().list(10_000));
        ledger.deadLettered("broker", new dev.herald.runtime.DeadLetters(redis.client(), keys.brokerDead(), keys.inbox()).list(10_000));
        ledger.settle("BrokerFaultTest." + test, "payment");
    }

    long inboxPending() {
        return redis.client().getStream(keys.inbox(), StringCodec.INSTANCE).getPendingInfo(RedisKeys.BROKER_GROUP).getTotal();
    }

    @Test
    void aStreamKeyOfTheWrongTypeLeavesTheEventsPendingUntilItIsFixed() {
        // the reproduction: any key of the wrong type where the topic should be
        redis.client().getBucket(topic, StringCodec.INSTANCE).set("x");
        startBroker(50);
        Set<UUID> sent = send(10);

        await().untilAsserted(() -> assertThat(broker.stats().writeFailures()).isGreaterThanOrEqualTo(10));
        assertThat(inboxPending()).as("refused writes leave their entries pending, not acknowledged").isEqualTo(10);
        assertThat(broker.deadLetters().size()).isZero();
        assertThat(handled).isEmpty();

        redis.client().getBucket(topic).delete(); // the operator removes the stray key
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(handled).isEqualTo(sent));
        await().untilAsserted(() -> assertThat(inboxPending()).isZero());
        assertThat(handlerRuns.get()).as("no copies: a retry writes only what was refused").isEqualTo(10);
        settle("WRONGTYPE on the topic (broker), then fixed", "aStreamKeyOfTheWrongTypeLeavesTheEventsPendingUntilItIsFixed");
    }

    @Test
    void aWriteRefusedForMemoryLeavesTheEventsPendingUntilMemoryIsFreed() {
        startBroker(50).close(); // the inbox and its group exist, as after any earlier run
        broker = null;
        Set<UUID> sent = send(10); // in the inbox while no broker runs
        // noeviction at maxmemory: Redis refuses XADD, but not XACK (the embedded Redis runs noeviction)
        redis.command("CONFIG", "SET", "maxmemory", "1");
        startBroker(50); // a restart under memory pressure

        await().untilAsserted(() -> assertThat(broker.stats().writeFailures()).isGreaterThanOrEqualTo(10));
        assertThat(inboxPending()).isEqualTo(10);
        assertThat(handled).isEmpty();

        redis.command("CONFIG", "SET", "maxmemory", "0");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(handled).isEqualTo(sent));
        assertThat(broker.deadLetters().size()).isZero();
        assertThat(handlerRuns.get()).isEqualTo(10);
        settle("OOM at maxmemory with noeviction (broker), then freed", "aWriteRefusedForMemoryLeavesTheEventsPendingUntilMemoryIsFreed");
    }

    @Test
    void aWriteThatKeepsFailingIsDeadLetteredWithTheRedisErrorAfterTheDeliveryLimitAndReplays() {
        redis.client().getBucket(topic, StringCodec.INSTANCE).set("x");
        startBroker(3);
        Set<UUID> sent = send(10);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(broker.deadLetters().size()).isEqualTo(10));
        List<DeadLetter> dead = broker.deadLetters().list(100);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo("delivery-limit");
            assertThat(d.error()).contains("max deliveries 3").contains("WRONGTYPE");
        });
        Set<UUID> deadIds = new HashSet<>();
        dead.forEach(d -> deadIds.add(UUID.fromString(readTree(d.event()).path("data").path("orderId").asText())));
        assertThat(deadIds).as("every sent event is dead-lettered, none lost").isEqualTo(sent);
        await().untilAsserted(() -> assertThat(inboxPending()).isZero());

        redis.client().getBucket(topic).delete();
        assertThat(broker.deadLetters().replayAll()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(handled).isEqualTo(sent));
        settle("WRONGTYPE for good: delivery-limit dead letters, then replayed",
                "aWriteThatKeepsFailingIsDeadLetteredWithTheRedisErrorAfterTheDeliveryLimitAndReplays");
    }

    @Test
    void aWriteRefusedByAnAclLeavesTheEventsPendingUntilThePermissionIsGranted() {
        // a broker user that may use the inbox and the registry, but not (yet) the topics
        String user = "broker-acl";
        redis.command("ACL", "SETUSER", user, "reset", "on", ">secret", "~" + ns + ":{inbox}*", "~" + ns + ":{registry}*", "+@all");
        org.redisson.api.RedissonClient limited = dev.herald.runtime.stream.RedisClients.create(
                "redis://" + user + ":secret@127.0.0.1:" + redis.port());
        try {
            broker = Broker.builder().redisson(limited).namespace(ns).concurrency(1).maxDeliveries(50).start();
            Set<UUID> sent = send(10);

            await().untilAsserted(() -> assertThat(broker.stats().writeFailures()).isGreaterThanOrEqualTo(10));
            assertThat(inboxPending()).as("NOPERM leaves the entries pending").isEqualTo(10);
            assertThat(handled).isEmpty();

            redis.command("ACL", "SETUSER", user, "~" + ns + ":evt:*"); // the operator grants the missing keys
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(handled).isEqualTo(sent));
            await().untilAsserted(() -> assertThat(inboxPending()).isZero());
            assertThat(broker.deadLetters().size()).isZero();
            assertThat(handlerRuns.get()).isEqualTo(10);
            settle("ACL NOPERM on the topic (broker), then granted", "aWriteRefusedByAnAclLeavesTheEventsPendingUntilThePermissionIsGranted");
        } finally {
            broker.close();
            broker = null;
            limited.shutdown();
            redis.command("ACL", "DELUSER", user);
        }
    }

    @Test
    void livenessFollowsTheLastCompletedRoundNotATimer() {
        startBroker(10);
        await().untilAsserted(() -> assertThat(broker.live(Duration.ofSeconds(1))).isTrue());
        // Redis stops answering every client for 3 s: the broker's rounds cannot complete
        redis.command("CLIENT", "PAUSE", "3000", "ALL");
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(broker.live(Duration.ofSeconds(1))).isFalse());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(broker.live(Duration.ofSeconds(1))).isTrue());
        Set<UUID> sent = send(3);
        await().untilAsserted(() -> assertThat(handled).isEqualTo(sent));
    }

    @Test
    void anUnreadableRegistrationIsSkippedAndEveryOtherRouteKeepsWorking() {
        startBroker(10);
        // a registration without listensTo, and a new registry version so that brokers re-read
        redis.client().getMap(keys.registrations("x"), StringCodec.INSTANCE).fastPut("i", "{\"service\":\"x\",\"instance\":\"i\"}");
        redis.client().getMap(keys.registrations("y"), StringCodec.INSTANCE).fastPut("i", "not json");
        redis.client().getSet(keys.registryIndex(), StringCodec.INSTANCE).addAll(List.of("x", "y"));
        redis.client().getBucket(keys.registryVersion(), StringCodec.INSTANCE).set(UUID.randomUUID().toString());
        Set<UUID> sent = send(10);

        await().untilAsserted(() -> assertThat(handled).isEqualTo(sent));
        assertThat(broker.unreadableRegistrations()).containsOnlyKeys("x/i", "y/i");
        assertThat(broker.unreadableRegistrations().get("x/i")).contains("no listensTo");
        assertThat(broker.deadLetters().size()).isZero();
        settle("unreadable registrations beside good ones", "anUnreadableRegistrationIsSkippedAndEveryOtherRouteKeepsWorking");
    }

    @Test
    void aNameInTheKnownTopicsThatIsNoEventDoesNotStopTrimming() {
        // any sender may add to the set; a name with braces cannot even be made into a key
        redis.client().getSet(keys.topics(), StringCodec.INSTANCE).addAll(List.of("bad{type}", ""));
        startBroker(10);
        Set<UUID> sent = send(10);
        await().untilAsserted(() -> assertThat(handled).isEqualTo(sent));
        // payment acknowledged everything: the topic is trimmed to nothing by the next passes
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(redis.client().getStream(topic, StringCodec.INSTANCE).size()).isZero());
        settle("junk in the known-topics set", "aNameInTheKnownTopicsThatIsNoEventDoesNotStopTrimming");
    }

    @Test
    void aRedisThatMayEvictStreamsIsRefusedAtStartUnlessAllowed() {
        redis.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        try {
            Broker refused = Broker.builder().redisson(redis.client()).namespace(ns).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(refused::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("maxmemory-policy is allkeys-lru").hasMessageContaining("--allow-eviction");
            assertThat(refused.running()).isFalse();

            broker = Broker.builder().redisson(redis.client()).namespace(ns).allowEviction(true).start();
            Set<UUID> sent = send(3);
            await().untilAsserted(() -> assertThat(handled).isEqualTo(sent));
        } finally {
            redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void anEntryOverTheSizeLimitIsDeadLetteredWithABoundedCopyAndRoutingGoesOn() {
        startBroker(10);
        String huge = "{\"specversion\":\"1.0\",\"data\":\"" + "x".repeat(2 << 20) + "\"}";
        redis.client().getStream(keys.inbox(), StringCodec.INSTANCE).add(org.redisson.api.stream.StreamAddArgs.entry(RedisKeys.FIELD_EVENT, huge));
        Set<UUID> sent = send(5);

        await().untilAsserted(() -> assertThat(handled).isEqualTo(sent));
        await().untilAsserted(() -> assertThat(broker.deadLetters().size()).isEqualTo(1));
        DeadLetter dead = broker.deadLetters().list(1).get(0);
        assertThat(dead.reason()).isEqualTo("too-large");
        assertThat(dead.error()).contains("more than the limit of 1048576");
        assertThat(dead.event()).hasSize(DeadLetter.TOO_LARGE_COPY_CHARS).startsWith("{\"specversion\"");
    }

    @Test
    void aSenderRefusesAnEventOverItsSizeLimitAndSendsNothing() {
        try (Messenger small = Messenger.builder().redisson(redis.client()).namespace(ns).service(ServiceName.ORDER).maxEnvelopeBytes(300).build()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> small.send(anOrder()))
                    .isInstanceOf(dev.herald.runtime.EventValidationException.class)
                    .hasMessageContaining("more than the limit of 300");
        }
        assertThat(redis.client().getStream(keys.inbox(), StringCodec.INSTANCE).size()).isZero();
        assertThat(redis.client().getStream(topic, StringCodec.INSTANCE).size()).isZero();
    }

    @Test
    void replayAllReturnsEvenWhenEveryReplayedEntryFailsAgainAtOnce() {
        startBroker(10);
        for (int i = 0; i < 20; i++) {
            redis.client().getStream(keys.inbox(), StringCodec.INSTANCE).add(org.redisson.api.stream.StreamAddArgs.entry(RedisKeys.FIELD_EVENT,
                    "{\"specversion\":\"1.0\",\"id\":\"e" + i + "\",\"source\":\"herald:service/order\",\"type\":\"no.such.event\"}"));
        }
        await().untilAsserted(() -> assertThat(broker.deadLetters().size()).isEqualTo(20));
        int replayed = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> broker.deadLetters().replayAll());
        assertThat(replayed).isEqualTo(20);
        await().untilAsserted(() -> assertThat(broker.deadLetters().size()).isEqualTo(20)); // refused again, none lost
        assertThat(broker.deadLetters().list(20)).allSatisfy(d -> assertThat(d.reason()).isEqualTo("malformed"));
    }
}
