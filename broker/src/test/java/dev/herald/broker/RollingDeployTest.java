package dev.herald.broker;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import dev.herald.runtime.stream.Topics;
import dev.herald.runtime.Worker;
import dev.herald.runtime.fixtures.Ledger;
import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.sdk.EventType;
import dev.herald.sdk.Money;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.OrderStatusChanged.OrderStatus;
import dev.herald.sdk.OrderStatusChanged;
import dev.herald.sdk.ServiceName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two versions of one service at once (a rolling deploy, a canary): each instance registers for
 * itself, the service gets the union (a group on the topic of every type one of them listens to,
 * read by the instances that listen to it), and an old instance restarting takes nothing away from
 * the new one. Once no running instance listens to a type, the broker removes the service's group
 * on its topic; registrations of instances gone longer than the retention expire.
 */
class RollingDeployTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    String ns;
    Broker broker;
    Messenger order;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start(TestInfo test) {
        ns = "deploy-" + test.getTestMethod().orElseThrow().getName();
        order = Messenger.builder().redisson(redis.client()).namespace(ns).service(ServiceName.ORDER).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
        order.close();
    }

    Messenger payment(EventType... listensTo) {
        Messenger m = Messenger.builder().redisson(redis.client()).namespace(ns).service(ServiceName.PAYMENT)
                .listensTo(listensTo).heartbeat(Duration.ofMillis(200)).build();
        toClose.add(0, m);
        return m;
    }

    static OrderCreated created() {
        return OrderCreated.builder().orderId(UUID.randomUUID()).accountId(UUID.randomUUID())
                .items(List.of(new OrderCreated.Item("SKU-1234", 1, new Money(new BigDecimal("9.95"), "EUR"))))
                .total(new Money(new BigDecimal("9.95"), "EUR")).createdAt(Instant.now()).build();
    }

    Topics topics() {
        return new Topics(redis.client(), new RedisKeys(ns));
    }

    static OrderStatusChanged statusChanged() {
        return OrderStatusChanged.builder().orderId(UUID.randomUUID()).status(OrderStatus.PAID).changedAt(Instant.now()).build();
    }

    @Test
    void oldAndNewVersionsRunTogetherAndNoEventIsDroppedOrDeadLettered() {
        broker = Broker.builder().redisson(redis.client()).namespace(ns).concurrency(1).start();
        Ledger ledger = new Ledger("rolling deploy: v1 and v2 of a service at once, v1 restarted");

        // v1 handles order.created only; v2 also order.status-changed
        Messenger v1 = payment(EventType.ORDER_CREATED);
        Worker v1Worker = v1.worker().consume(OrderCreated.class, (e, ctx) -> ledger.handled("payment", ctx.id())).start();
        v1.register().join();
        Messenger v2 = payment(EventType.ORDER_CREATED, EventType.ORDER_STATUS_CHANGED);
        v2.register().join(); // registered, its worker not started yet: v1 alone reads the stream for a moment

        List<String> statusIds = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ledger.sent(order.send(created()));
            String id = order.send(statusChanged());
            ledger.sent(id);
            statusIds.add(id);
        }
        // v1 does not read the status changes at all: they wait in payment's group for v2's worker
        await().untilAsserted(() -> assertThat(ledger.handledBy("payment")).hasSize(30));
        assertThat(topics().waiting(EventType.ORDER_STATUS_CHANGED.wireName(), "payment", 100)).containsExactlyElementsOf(statusIds);
        assertThat(v1Worker.handedBackCount()).isZero();
        v2.worker().consume(OrderCreated.class, (e, ctx) -> ledger.handled("payment", ctx.id()))
                .consume(OrderStatusChanged.class, (e, ctx) -> ledger.handled("payment", ctx.id())).start();
        await().untilAsserted(() -> assertThat(ledger.handledBy("payment")).containsAll(ledger.sentIds()));

        // v1 restarts with its old listener set: the new event type stays routed to the service
        v1.close();
        Messenger v1Again = payment(EventType.ORDER_CREATED);
        v1Again.worker().consume(OrderCreated.class, (e, ctx) -> ledger.handled("payment", ctx.id())).start();
        v1Again.register().join();
        for (int i = 0; i < 20; i++) {
            ledger.sent(order.send(statusChanged()));
        }
        await().untilAsserted(() -> assertThat(ledger.handledBy("payment")).containsAll(ledger.sentIds()));
        assertThat(topics().groups(EventType.ORDER_STATUS_CHANGED.wireName())).containsExactly("payment");

        ledger.deadLettered("payment", v2.deadLetters().list(100));
        assertThat(v2.deadLetters().list(100)).as("nothing dead-lettered").isEmpty();
        ledger.settle("RollingDeployTest.oldAndNewVersionsRunTogetherAndNoEventIsDroppedOrDeadLettered", "payment");
    }

    @Test
    void onceTheOldVersionStopsWhatOnlyItListenedToIsNoLongerRoutedUnlessTheWholeServiceIsDown() {
        broker = Broker.builder().redisson(redis.client()).namespace(ns).concurrency(1).start();
        String stream = broker.keys().serviceStream("payment");
        String status = EventType.ORDER_STATUS_CHANGED.wireName();
        Messenger v1 = payment(EventType.ORDER_CREATED, EventType.ORDER_STATUS_CHANGED);
        v1.register().join();
        Messenger v2 = payment(EventType.ORDER_CREATED); // the new version dropped order.status-changed
        v2.register().join();
        String beforeStop = order.send(statusChanged()); // still wanted by v1

        v1.close(); // the old version is gone: the service is routed by v2 alone
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(topics().groups(status)).doesNotContain("payment"));
        // what the group still held went to the service's own stream, where v2's workers would dead-letter it
        assertThat(redis.client().<String, String>getStream(stream, org.redisson.client.codec.StringCodec.INSTANCE).range(org.redisson.api.stream.StreamMessageId.MIN, org.redisson.api.stream.StreamMessageId.MAX).values())
                .singleElement().satisfies(f -> assertThat(f.get("event")).contains(beforeStop));
        order.send(statusChanged());
        assertThat(topics().waiting(status, "payment", 10)).as("no group of payment takes it").isEmpty();

        v2.close(); // the whole service is down: every type it last listened to queues for its return
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(topics().groups(status)).contains("payment"));
        String s2 = order.send(statusChanged());
        String c2 = order.send(created());
        assertThat(topics().waiting(status, "payment", 10)).contains(s2);
        assertThat(topics().waiting(EventType.ORDER_CREATED.wireName(), "payment", 10)).containsExactly(c2);
        assertThat(redis.client().getStream(stream).size()).as("only the handed-over one").isEqualTo(1);
    }

    @Test
    void anEventNoLiveInstanceHandlesIsDeadLetteredAsNoHandler() {
        broker = Broker.builder().redisson(redis.client()).namespace(ns).concurrency(1).start();
        Messenger only = payment(EventType.ORDER_CREATED, EventType.ORDER_STATUS_CHANGED);
        Worker w = only.worker().consume(OrderCreated.class, (e, ctx) -> { }).start();
        only.register().join();
        String id = order.send(statusChanged());
        await().untilAsserted(() -> assertThat(only.deadLetters().list(10)).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(id);
            assertThat(d.reason()).isEqualTo("no-handler");
            assertThat(d.error()).contains("no other live instance of payment handles it");
        }));
        assertThat(w.handedBackCount()).isZero();
    }

    @Test
    void registrationsOfInstancesGoneLongerThanTheRetentionExpireAndLiveOnesStay() {
        broker = Broker.builder().redisson(redis.client()).namespace(ns).concurrency(1).registrationRetention(Duration.ofSeconds(5)).start();
        Messenger gone = payment(EventType.ORDER_CREATED);
        gone.register().join();
        Messenger live = Messenger.builder().redisson(redis.client()).namespace(ns).service(ServiceName.PRODUCT)
                .listensTo(EventType.ORDER_CREATED).heartbeat(Duration.ofMillis(200)).build();
        toClose.add(live);
        live.register().join();
        gone.close(); // no unregister: its heartbeat stops

        // 5 s without a beat, where the live one beats every 200 ms: room for a loaded machine
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(live.registrations()).extracting(Registration::instance)
                .containsExactly(live.instanceId()));
        String created = EventType.ORDER_CREATED.wireName();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(topics().groups(created)).containsExactly("product"));
        String id = order.send(created());
        assertThat(topics().waiting(created, "product", 10)).containsExactly(id);
        assertThat(topics().waiting(created, "payment", 10)).isEmpty();
        assertThat(redis.client().getStream(broker.keys().serviceStream("payment")).size())
                .as("the expired service got nothing new").isZero();
    }

    @Test
    void groupsAreTheOnesRegistrationsNameAndAChangedGroupSecretMovesTheServiceToItsNewGroup() {
        broker = Broker.builder().redisson(redis.client()).namespace(ns).concurrency(1).start();
        String created = EventType.ORDER_CREATED.wireName();
        order.send(created()); // the topic is known before anyone listens
        String oldGroup = RedisKeys.topicGroup("payment", "secret of last year");
        String newGroup = RedisKeys.topicGroup("payment", "secret of this year");
        // an instance whose catalog did not know the type: the broker creates the group its registration names
        new dev.herald.runtime.stream.Registry(redis.client(), broker.keys()).register(new Registration("payment", List.of("order.*"),
                Instant.now().toString(), "payment-old", null, oldGroup)).join();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(topics().groups(created)).containsExactly(oldGroup));

        Messenger renewed = Messenger.builder().redisson(redis.client()).namespace(ns).service(ServiceName.PAYMENT)
                .listensTo(EventType.ORDER_CREATED).groupSecret("secret of this year").heartbeat(Duration.ofMillis(200)).build();
        toClose.add(0, renewed);
        assertThat(renewed.topicGroup()).isEqualTo(newGroup);
        renewed.register().join();
        String both = order.send(created());
        assertThat(topics().waiting(created, oldGroup, 10)).contains(both);
        assertThat(topics().waiting(created, newGroup, 10)).containsExactly(both);

        // the old instance stops: its group is no longer wanted, what it held goes to the service's stream, the group goes
        new dev.herald.runtime.stream.Registry(redis.client(), broker.keys()).unregister("payment", "payment-old").join();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(topics().groups(created)).containsExactly(newGroup));
        assertThat(redis.client().<String, String>getStream(broker.keys().serviceStream("payment"), org.redisson.client.codec.StringCodec.INSTANCE)
                .range(org.redisson.api.stream.StreamMessageId.MIN, org.redisson.api.stream.StreamMessageId.MAX).values())
                .extracting(f -> dev.herald.runtime.Envelope.parse(f.get(RedisKeys.FIELD_EVENT)).id())
                .as("what the old group held went to the service's stream").contains(both);
        String after = order.send(created());
        assertThat(topics().waiting(created, newGroup, 10)).containsExactly(both, after);
    }
}
