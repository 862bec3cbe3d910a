package dev.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The local cluster is a real Redis Cluster: slots spread over three primaries, replicas that take over. */
class EmbeddedRedisClusterTest {

    @Test
    void servesEverySlotFromThreePrimariesAndSurvivesAPrimaryKilledAfterAReplicatedWrite() {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
            assertThat(cluster.nodes()).hasSize(6);
            RedissonClient redis = cluster.connection().connect();
            try {
                // a write that returns only once a replica has it (WAIT 1), on keys of every primary
                RBatch batch = redis.createBatch(BatchOptions.defaults().sync(1, Duration.ofSeconds(5)));
                for (int i = 0; i < 300; i++) {
                    batch.getBucket("k" + i, StringCodec.INSTANCE).setAsync("v" + i);
                }
                BatchResult<?> written = batch.execute();
                assertThat(written.getSyncedSlaves()).isGreaterThanOrEqualTo(1);
                for (int p = 0; p < 3; p++) {
                    try (Resp r = new Resp(cluster.primaryPort(p))) {
                        assertThat((Long) r.call("DBSIZE")).as("primary %d holds some of the keys", p).isGreaterThan(0L);
                    }
                }
                cluster.kill(cluster.primaryPort(0));
                cluster.awaitHealthy();
                List<String> read = new java.util.ArrayList<>();
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read.size() < 300 && System.nanoTime() < until) {
                    read.clear();
                    try {
                        for (int i = 0; i < 300; i++) {
                            Object v = redis.getBucket("k" + i, StringCodec.INSTANCE).get();
                            if (v != null) {
                                read.add((String) v);
                            }
                        }
                    } catch (RuntimeException e) {
                        // the client is still learning the new topology
                    }
                }
                assertThat(read).as("every replicated key survives the primary's death").hasSize(300);
            } finally {
                redis.shutdown();
            }
        }
    }
}
