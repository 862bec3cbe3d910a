package dev.herald.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.runtime.fixtures.TestRedis;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import redis.embedded.RedisServer;

/** SendOptions.waitForReplicas: the send returns once replicas have the event, and says so when they do not. */
class DurableSendTest {

    @Test
    void aSendThatAsksForAReplicaReturnsOnceTheReplicaHasIt() throws Exception {
        try (TestRedis primary = TestRedis.start()) {
            int replicaPort;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                replicaPort = free.getLocalPort();
            }
            RedisServer replica = RedisServer.newRedisServer().port(replicaPort).bind("127.0.0.1")
                    .setting("replicaof 127.0.0.1 " + primary.port()).setting("save \"\"").setting("appendonly no").build();
            replica.start();
            try {
                RedissonClient client = dev.herald.runtime.stream.RedisClients.create(primary.url());
                try (Messenger m = Messenger.builder().redisson(client).service(TestServices.WIDGETS).build()) {
                    awaitReplicaLink(client);
                    String id = m.send(WidgetCreated.sample(1), SendOptions.DEFAULT.waitForReplicas(1, Duration.ofSeconds(5)));
                    List<String> ids = m.sendAll(List.of(WidgetCreated.sample(2), WidgetCreated.sample(3)),
                            SendOptions.DEFAULT.waitForReplicas(1, Duration.ofSeconds(5)));
                    assertThat(id).isNotBlank();
                    assertThat(ids).hasSize(2);
                    RedissonClient onReplica = dev.herald.runtime.stream.RedisClients.create("redis://127.0.0.1:" + replicaPort);
                    try {
                        // the replica already holds all three, with no further wait
                        assertThat(onReplica.getStream(m.keys().topic("widget.created")).size()).isEqualTo(3);
                    } finally {
                        onReplica.shutdown();
                    }
                } finally {
                    client.shutdown();
                }
            } finally {
                replica.stop();
            }
        }
    }

    @Test
    void aSendNoReplicaConfirmsFailsSayingTheEventIsOnThePrimary() {
        try (TestRedis alone = TestRedis.start()) {
            RedissonClient client = dev.herald.runtime.stream.RedisClients.create(alone.url());
            try (Messenger m = Messenger.builder().redisson(client).service(TestServices.WIDGETS).build()) {
                assertThatThrownBy(() -> m.send(WidgetCreated.sample(1), SendOptions.DEFAULT.waitForReplicas(1, Duration.ofMillis(300))))
                        .hasRootCauseInstanceOf(HeraldException.class)
                        .rootCause().hasMessageContaining("the event is on the Redis primary, but 0 of the 1 replicas asked for confirmed it within 300 ms");
                assertThat(client.getStream(m.keys().topic("widget.created")).size()).as("a failed wait is no rollback").isEqualTo(1);
            } finally {
                client.shutdown();
            }
        }
        assertThatThrownBy(() -> SendOptions.DEFAULT.waitForReplicas(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a timeout");
    }

    private static void awaitReplicaLink(RedissonClient client) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String info = client.getScript(org.redisson.client.codec.StringCodec.INSTANCE).eval(org.redisson.api.RScript.Mode.READ_ONLY,
                    "return redis.call('INFO', 'replication')", org.redisson.api.RScript.ReturnType.VALUE);
            if (info.contains("connected_slaves:1") && info.contains("state=online")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the replica never came online");
    }
}
