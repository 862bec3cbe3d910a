package dev.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.SendOptions;
import dev.herald.sdk.EventType;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The bus on a real local Redis Cluster (three primaries with a replica each): its keys spread over
 * slots on different primaries, and a primary killed under load, its replica promoted, loses none
 * of the sends that waited for a replica.
 */
class ClusterBusTest {

    @Test
    void eventsTravelOnAClusterAndSurviveAPrimaryKilledUnderLoad() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
            RedissonClient client = cluster.connection().connect();
            Broker broker = Broker.builder().redisson(client).start();
            Set<String> handled = ConcurrentHashMap.newKeySet();
            Set<String> sent = ConcurrentHashMap.newKeySet();
            try (Messenger payment = Messenger.builder().redisson(client).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED).build();
                 Messenger order = Messenger.builder().redisson(client).service(ServiceName.ORDER).build()) {
                payment.worker().on(OrderCreated.class, (e, ctx) -> handled.add(ctx.id())).start();
                payment.register().join();
                SendOptions durable = SendOptions.DEFAULT.waitForReplicas(1, Duration.ofSeconds(5));
                for (int i = 0; i < 50; i++) {
                    sent.add(order.send(GeneratedSdkBusTest.order("EUR"), durable));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(handled).containsAll(sent));

                // the inbox and the service's stream live on different primaries: a kill takes one of them
                cluster.kill(cluster.primaryPort(0));
                int failures = 0;
                for (int i = 0; i < 50; i++) {
                    try {
                        sent.add(order.send(GeneratedSdkBusTest.order("EUR"), durable));
                    } catch (RuntimeException e) {
                        failures++; // refused during the failover: not acknowledged, so the sender knows and may send again
                        i--;
                        if (failures > 200) {
                            throw e;
                        }
                        sleep(100);
                    }
                }
                cluster.awaitHealthy();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handled).containsAll(sent));
                assertThat(sent).hasSize(100);
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
