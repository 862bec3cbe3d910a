package dev.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.SendOptions;
import dev.herald.runtime.fixtures.Ledger;
import dev.herald.sdk.EventType;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The bus on a real local Redis Cluster (three primaries with a replica each), faults counted with
 * a {@link Ledger}: a primary killed under load, its replica promoted, loses none of the sends
 * that waited for a replica; the primary of the event type's topic itself killed under load: the
 * workers' blocking reads give up on the dead node and read on from the promoted replica, and every
 * acknowledged send is delivered; the same primary killed while a broker moves inbox entries to the
 * topic (on another primary): the broker acknowledges an inbox entry only after its append to the
 * topic succeeded, so every entry reaches the topic.
 */
class ClusterBusTest {

    @Test
    void aPrimaryKilledUnderLoadLosesNoSendThatWaitedForAReplica() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
            RedissonClient client = cluster.connection().connect();
            Broker broker = Broker.builder().redisson(client).start();
            Ledger ledger = new Ledger("Redis Cluster: a primary killed, its replica promoted (sends wait for 1 replica)");
            try (Messenger payment = Messenger.builder().redisson(client).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED).build();
                 Messenger order = Messenger.builder().redisson(client).service(ServiceName.ORDER).sendTimeout(Duration.ofSeconds(5)).build()) {
                payment.worker().consume(OrderCreated.class, (e, ctx) -> ledger.handled("payment", ctx.id())).start();
                payment.register().join();
                SendOptions durable = SendOptions.DEFAULT.waitForReplicas(1, Duration.ofSeconds(5));
                for (int i = 0; i < 50; i++) {
                    ledger.sent(order.send(GeneratedSdkBusTest.order("EUR"), durable));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger.handledBy("payment")).containsAll(ledger.sentIds()));

                // a primary that does not hold the topic's slot: once the topic's own primary is gone, its
                // promoted replica has no replica, and no send could be confirmed by one (see the next test)
                int topicPrimary = cluster.primaryPortFor(broker.keys().topic(EventType.ORDER_CREATED.wireName()));
                int victim = cluster.primaryPort(0) != topicPrimary ? cluster.primaryPort(0) : cluster.primaryPort(1);
                cluster.kill(victim);
                int failures = 0;
                for (int i = 0; i < 50; i++) {
                    try {
                        ledger.sent(order.send(GeneratedSdkBusTest.order("EUR"), durable));
                    } catch (RuntimeException e) {
                        failures++; // refused during the failover: not acknowledged, so the sender knows and may send again
                        i--;
                        if (failures > 300) {
                            throw e;
                        }
                        sleep(100);
                    }
                }
                cluster.awaitHealthy();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ledger.handledBy("payment")).containsAll(ledger.sentIds()));
                assertThat(ledger.sentIds()).hasSize(100);
                ledger.deadLettered("payment", payment.deadLetters().list(1000));
                ledger.settle("ClusterBusTest.aPrimaryKilledUnderLoad… (" + failures + " sends refused during the failover)", "payment");
            } finally {
                broker.close();
                client.shutdown();
            }
        }
    }

    @Test
    void theTopicsPrimaryKilledUnderLoadDeliversEverySendItAcknowledged() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
            RedissonClient client = cluster.connection().connect();
            Broker broker = Broker.builder().redisson(client).start();
            Ledger ledger = new Ledger("Redis Cluster: the topic's own primary killed under load, its replica promoted");
            try (Messenger payment = Messenger.builder().redisson(client).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED).build();
                 Messenger order = Messenger.builder().redisson(client).service(ServiceName.ORDER).sendTimeout(Duration.ofSeconds(5)).build()) {
                payment.worker().visibilityTimeout(Duration.ofSeconds(5)).consume(OrderCreated.class, (e, ctx) -> ledger.handled("payment", ctx.id())).start();
                payment.register().join();
                for (int i = 0; i < 50; i++) {
                    ledger.sent(order.send(GeneratedSdkBusTest.order("EUR")));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger.handledBy("payment")).containsAll(ledger.sentIds()));
                cluster.kill(cluster.primaryPortFor(broker.keys().topic(EventType.ORDER_CREATED.wireName())));
                int failures = 0;
                for (int i = 0; i < 50; i++) {
                    try {
                        ledger.sent(order.send(GeneratedSdkBusTest.order("EUR")));
                    } catch (RuntimeException e) {
                        failures++;
                        i--;
                        if (failures > 100) {
                            throw e;
                        }
                        sleep(200);
                    }
                }
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(ledger.handledBy("payment")).containsAll(ledger.sentIds()));
                ledger.deadLettered("payment", payment.deadLetters().list(1000));
                ledger.settle("ClusterBusTest.theTopicsPrimaryKilled… (" + failures + " sends refused during the failover)", "payment");
            } finally {
                broker.close();
                client.shutdown();
            }
        }
    }

    @Test
    void aBrokerRoutingTheInboxWhileTheTopicsPrimaryDiesAcknowledgesOnlyWhatItAppended() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
            RedissonClient client = cluster.connection().connect();
            Broker broker = Broker.builder().redisson(client).start();
            Ledger ledger = new Ledger("Redis Cluster: inbox entries routed while the topic's primary is killed");
            InboxProducer gateway = new InboxProducer(client, broker.keys(), "order");
            try (Messenger payment = Messenger.builder().redisson(client).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_STATUS_CHANGED).build()) {
                payment.worker().visibilityTimeout(Duration.ofSeconds(5)).consume(dev.herald.sdk.OrderStatusChanged.class, (e, ctx) -> ledger.handled("payment", ctx.id())).start();
                payment.register().join();
                int topicPrimary = cluster.primaryPortFor(broker.keys().topic(EventType.ORDER_STATUS_CHANGED.wireName()));
                // slot 7080 ({inbox}) and slot 3439 ({order.status-changed}): on different primaries of three
                assertThat(cluster.primaryPortFor(broker.keys().inbox())).as("the inbox and the topic on different primaries")
                        .isNotEqualTo(topicPrimary);
                for (int i = 0; i < 50; i++) {
                    ledger.sent(gateway.send(RollingDeployTest.statusChanged()));
                }
                // the broker's appends to the topic wait (Redisson retries) or fail while its primary is down; the inbox entries stay
                // unacknowledged (the inbox lives elsewhere and takes acknowledgements all along) until they are written
                cluster.kill(topicPrimary);
                for (int i = 0; i < 50; i++) {
                    ledger.sent(gateway.send(RollingDeployTest.statusChanged()));
                }
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(ledger.handledBy("payment")).containsAll(ledger.sentIds()));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.getStream(broker.keys().inbox())
                        .getPendingInfo(dev.herald.runtime.RedisKeys.BROKER_GROUP).getTotal()).isZero());
                ledger.deadLettered("payment", payment.deadLetters().list(1000));
                ledger.settle("ClusterBusTest.aBrokerRoutingTheInbox… (" + broker.stats() + ")", "payment");
            } finally {
                broker.close();
                client.shutdown();
            }
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
