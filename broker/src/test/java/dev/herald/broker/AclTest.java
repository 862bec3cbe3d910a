package dev.herald.broker;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import dev.herald.runtime.fixtures.RawRedis;
import dev.herald.runtime.fixtures.RedisProcess;
import dev.herald.runtime.fixtures.SystemRedis;
import dev.herald.runtime.stream.RedisClients;
import dev.herald.runtime.stream.Registry;
import dev.herald.sdk.EventType;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.PaymentCompleted;
import dev.herald.sdk.ServiceName;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The ACL recipe of docs/security.md ({@link AclRecipe}) on a real Redis 7: order and payment each
 * run under their own Redis user, the broker under its own. Everything works under those users (a
 * send each way, a retry, results, registration, heartbeats), and a service user cannot append to
 * a topic it does not own, read or acknowledge a topic it does not listen to or another service's
 * own stream, write another service's registration, or remove what the brokers read. On a topic
 * two services listen to (payment and product both take order.created), neither can list the
 * groups or name the other's group (each has its own group secret), so neither can read or
 * acknowledge as the other: each gets every order.
 */
class AclTest {

    static final String NS = "shop";

    @TempDir
    Path dir;

    @Test
    void serviceUsersMayDoWhatTheRegistrySaysAndNothingElse() {
        try (RedisProcess redis = RedisProcess.start(dir, SystemRedis.require())) {
            RedisKeys keys = new RedisKeys(NS);
            AclRecipe acl = new AclRecipe(Catalog.fromClasspath(), keys);
            setUser(redis, "payment", acl.service("payment", List.of(EventType.ORDER_CREATED.wireName()), "pay-secret"));
            setUser(redis, "order", acl.service("order", List.of("payment.*"), "order-secret"));
            setUser(redis, "product", acl.service("product", List.of(EventType.ORDER_CREATED.wireName()), "product-secret"));
            setUser(redis, "broker", acl.broker("broker-secret"));

            RedissonClient paymentClient = RedisClients.create("redis://payment:pay-secret@127.0.0.1:" + redis.port());
            RedissonClient orderClient = RedisClients.create("redis://order:order-secret@127.0.0.1:" + redis.port());
            RedissonClient productClient = RedisClients.create("redis://product:product-secret@127.0.0.1:" + redis.port());
            RedissonClient brokerClient = RedisClients.create("redis://broker:broker-secret@127.0.0.1:" + redis.port());
            Broker broker = Broker.builder().redisson(brokerClient).namespace(NS).concurrency(1).start();
            Set<UUID> paid = ConcurrentHashMap.newKeySet();
            Set<UUID> confirmed = ConcurrentHashMap.newKeySet();
            Set<UUID> stocked = ConcurrentHashMap.newKeySet();
            AtomicInteger attempts = new AtomicInteger();
            try (Messenger payment = Messenger.builder().redisson(paymentClient).namespace(NS).service(ServiceName.PAYMENT)
                         .listensTo(EventType.ORDER_CREATED).groupSecret("payment's group secret").heartbeat(Duration.ofMillis(200)).build();
                 Messenger product = Messenger.builder().redisson(productClient).namespace(NS).service(ServiceName.PRODUCT)
                         .listensTo(EventType.ORDER_CREATED).groupSecret("product's group secret").heartbeat(Duration.ofMillis(200)).build();
                 Messenger order = Messenger.builder().redisson(orderClient).namespace(NS).service(ServiceName.ORDER)
                         .listensTo(EventType.PAYMENT_COMPLETED).heartbeat(Duration.ofMillis(200)).build()) {
                payment.worker().backoff(Duration.ofMillis(50), Duration.ofMillis(200)).on(OrderCreated.class, (e, ctx) -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("first attempt fails: the retry goes through the payment keys");
                    }
                    payment.send(PaymentCompleted.builder().paymentId(UUID.randomUUID()).orderId(e.orderId())
                            .amount(e.total()).method(PaymentCompleted.Method.CARD).completedAt(Instant.now()).build());
                    paid.add(e.orderId());
                    return "charged";
                }).start();
                order.worker().on(PaymentCompleted.class, (e, ctx) -> confirmed.add(e.orderId())).start();
                product.worker().on(OrderCreated.class, (e, ctx) -> stocked.add(e.orderId())).start();
                payment.register().join();
                product.register().join();
                order.register().join();

                List<UUID> orders = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    OrderCreated o = GeneratedSdkBusTest.order("EUR");
                    orders.add(o.orderId());
                    order.send(o);
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(paid).containsExactlyInAnyOrderElementsOf(orders);
                    assertThat(confirmed).containsExactlyInAnyOrderElementsOf(orders);
                    assertThat(stocked).containsExactlyInAnyOrderElementsOf(orders);
                });
                String created = keys.topic(EventType.ORDER_CREATED.wireName());
                assertThat(brokerClient.getStream(created, StringCodec.INSTANCE).listGroups())
                        .extracting(org.redisson.api.stream.StreamGroup::getName)
                        .containsExactlyInAnyOrder(payment.topicGroup(), product.topicGroup())
                        .doesNotContain("payment", "product");
                assertThat(payment.deadLetters().size()).isZero();

                // what the payment user may not do
                refused(() -> paymentClient.getStream(keys.topic(EventType.ORDER_CREATED.wireName()), StringCodec.INSTANCE)
                        .add(StreamAddArgs.entry("event", "{}")));                                   // send an event order owns
                // on the topic both listen to, payment can neither list the groups nor name product's
                refused(() -> paymentClient.getStream(created, StringCodec.INSTANCE).listGroups());
                for (String guess : List.of("product", RedisKeys.topicGroup("product", "a guessed secret"))) {
                    assertThatThrownBy(() -> paymentClient.getStream(created, StringCodec.INSTANCE)
                            .readGroup(guess, "x", StreamReadGroupArgs.neverDelivered()))
                            .as("reading as %s", guess).hasStackTraceContaining("NOGROUP");
                }
                refused(() -> paymentClient.getStream(keys.topic(EventType.ORDER_STATUS_CHANGED.wireName()), StringCodec.INSTANCE)
                        .readGroup("payment", "x", StreamReadGroupArgs.neverDelivered()));           // read a topic it does not listen to
                refused(() -> paymentClient.getStream(keys.serviceStream("order"), StringCodec.INSTANCE)
                        .readGroup(RedisKeys.WORKER_GROUP, "x", StreamReadGroupArgs.neverDelivered())); // read as order, on order's stream
                refused(() -> paymentClient.getStream(keys.serviceStream("order"), StringCodec.INSTANCE)
                        .ack(RedisKeys.WORKER_GROUP, new StreamMessageId(1, 0)));                    // acknowledge as order
                refused(() -> paymentClient.getStream(keys.serviceStream("order"), StringCodec.INSTANCE)
                        .add(StreamAddArgs.entry("event", "{}")));                                   // write into order's stream
                // re-register order: the MULTI fails (Redisson reports the refused EXEC as its own error); checked below by what is stored
                assertThatThrownBy(() -> new Registry(paymentClient, keys).register(new Registration("order", List.of(),
                        Instant.now().toString(), "forged")).join());
                refused(() -> paymentClient.getMap(keys.registrations("order"), StringCodec.INSTANCE).remove(order.instanceId()));
                refused(() -> paymentClient.getSet(keys.registryIndex(), StringCodec.INSTANCE).remove("order"));
                refused(() -> paymentClient.getBucket(keys.registryIndex(), StringCodec.INSTANCE).set("x"));
                refused(() -> paymentClient.getStream(keys.topic(EventType.ORDER_CREATED.wireName()), StringCodec.INSTANCE)
                        .removeGroup("order"));                                                      // remove another service's group
                refused(() -> paymentClient.getKeys().delete(keys.topic(EventType.ORDER_CREATED.wireName())));
                refused(() -> paymentClient.getKeys().flushall());
                refused(() -> paymentClient.getScript(StringCodec.INSTANCE).eval(org.redisson.api.RScript.Mode.READ_WRITE,
                        "return redis.call('XADD', '" + keys.topic(EventType.ORDER_CREATED.wireName()) + "', '*', 'event', '{}')",
                        org.redisson.api.RScript.ReturnType.VALUE));                               // nor through a script
                // and order may not send what payment owns
                refused(() -> orderClient.getStream(keys.topic(EventType.PAYMENT_COMPLETED.wireName()), StringCodec.INSTANCE)
                        .add(StreamAddArgs.entry("event", "{}")));

                // the registrations are as the services wrote them
                assertThat(new Registry(brokerClient, keys).read(new java.util.TreeMap<>()).values())
                        .extracting(Registration::service, Registration::instance)
                        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("payment", payment.instanceId()),
                                org.assertj.core.groups.Tuple.tuple("order", order.instanceId()),
                                org.assertj.core.groups.Tuple.tuple("product", product.instanceId()));
            } finally {
                broker.close();
                paymentClient.shutdown();
                orderClient.shutdown();
                productClient.shutdown();
                brokerClient.shutdown();
            }
        }
    }

    static void setUser(RedisProcess redis, String user, List<String> rules) {
        List<String> args = new ArrayList<>(List.of("ACL", "SETUSER", user));
        args.addAll(rules);
        assertThat(RawRedis.command(redis.port(), args.toArray(new String[0]))).isEqualTo("OK");
    }

    /** The call fails with the ACL's refusal (a command: NOPERM; a command inside a script: the script error naming the ACL). */
    static void refused(ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(e -> {
            Throwable t = e;
            while (t.getCause() != null && !byAcl(t)) {
                t = t.getCause();
            }
            assertThat(byAcl(t)).as("refused by the ACL: %s", t.getMessage()).isTrue();
        });
    }

    static boolean byAcl(Throwable t) {
        String m = String.valueOf(t.getMessage());
        return m.contains("NOPERM") || m.contains("user executing the script can't access");
    }
}
