package dev.herald.broker;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerMainTest {

    @Test
    void readsTheEnvironmentAndFlagsWin() {
        Map<String, String> env = Map.of("HERALD_REDIS_URL", "redis://env:6379", "HERALD_NAMESPACE", "shop",
                "HERALD_BROKER_CONCURRENCY", "3");
        BrokerMain.Options o = BrokerMain.Options.parse(new String[] {"--concurrency", "5", "--batch=200"}, env);
        assertThat(o.redisUrl()).isEqualTo("redis://env:6379");
        assertThat(o.namespace()).isEqualTo("shop");
        assertThat(o.concurrency()).isEqualTo(5);
        assertThat(o.batch()).isEqualTo(200);
        assertThat(o.demo()).isFalse();

        BrokerMain.Options flags = BrokerMain.Options.parse(new String[] {"--redis-url", "redis://flag:1", "--demo", "--port", "7000"}, env);
        assertThat(flags.redisUrl()).isEqualTo("redis://flag:1");
        assertThat(flags.demo()).isTrue();
        assertThat(flags.port()).isEqualTo(7000);
    }

    @Test
    void aClusterOrARedissonFileInsteadOfAUrlWithCredentialsFromTheEnvironmentNeverPrinted() throws Exception {
        Map<String, String> env = Map.of("HERALD_REDIS_USERNAME", "broker", "HERALD_REDIS_PASSWORD", "s3cret");
        BrokerMain.Options cluster = BrokerMain.Options.parse(new String[] {"--redis-cluster", "10.0.0.1:6379,10.0.0.2:6379"}, env);
        dev.herald.runtime.RedisConnection c = cluster.connection(env);
        assertThat(c.isCluster()).isTrue();
        assertThat(c.toString()).isEqualTo("Redis Cluster redis://10.0.0.1:6379,redis://10.0.0.2:6379 as broker").doesNotContain("s3cret");
        assertThat(c.config().useClusterServers().getPassword()).isEqualTo("s3cret");
        assertThat(c.config().useClusterServers().getReadMode()).isEqualTo(org.redisson.config.ReadMode.MASTER);

        java.nio.file.Path yaml = java.nio.file.Files.createTempFile("redisson", ".yaml");
        java.nio.file.Files.writeString(yaml, "singleServerConfig:\n  address: \"rediss://redis:6380\"\n");
        BrokerMain.Options file = BrokerMain.Options.parse(new String[0], Map.of("HERALD_REDISSON_CONFIG", yaml.toString()));
        assertThat(file.connection(Map.of()).toString()).isEqualTo("Redisson configuration " + yaml);
        assertThat(BrokerMain.Options.parse(new String[0], Map.of()).connection(Map.of())).as("none: embedded Redis").isNull();

        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--redis-url", "redis://a:1", "--redis-cluster", "b:2"}, Map.of()))
                .hasMessageContaining("give one of --redis-url, --redis-cluster and --redisson-config");
        assertThatThrownBy(() -> dev.herald.runtime.RedisConnection.url("http://user:pw@x:1"))
                .hasMessageContaining("not 'http://user:***@x:1'");
    }

    @Test
    void noUrlMeansTheEmbeddedRedisAndBadInputIsExplained() {
        BrokerMain.Options o = BrokerMain.Options.parse(new String[0], Map.of("HERALD_REDIS_URL", " "));
        assertThat(o.redisUrl()).isNull();
        assertThat(o.concurrency()).isEqualTo(2);
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--concurrency", "many"}, Map.of()))
                .hasMessageContaining("--concurrency must be a number");
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--frobnicate"}, Map.of()))
                .hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--redis-url"}, Map.of()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--batch", "0"}, Map.of()))
                .hasMessage("--batch / HERALD_BROKER_BATCH must be at least 1, got 0");
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[0], Map.of("HERALD_BROKER_CONCURRENCY", "-2")))
                .hasMessage("--concurrency / HERALD_BROKER_CONCURRENCY must be at least 1, got -2");
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--port", "70000"}, Map.of()))
                .hasMessageContaining("must be a TCP port");
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--registration-retention", "soon"}, Map.of()))
                .hasMessage("--registration-retention must be a duration such as 7d, 12h, 30m, 90s or PT12H, got soon");
        assertThatThrownBy(() -> BrokerMain.Options.parse(new String[] {"--max-deliveries", "0"}, Map.of()))
                .hasMessage("--max-deliveries / HERALD_MAX_DELIVERIES must be at least 1, got 0");
    }

    @Test
    void retentionAndDeliveryLimitHaveDefaultsAndReadShortDurations() {
        BrokerMain.Options o = BrokerMain.Options.parse(new String[0], Map.of());
        assertThat(o.registrationRetention()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(o.maxDeliveries()).isEqualTo(10);
        BrokerMain.Options set = BrokerMain.Options.parse(new String[] {"--registration-retention=12h", "--max-deliveries", "3"},
                Map.of("HERALD_REGISTRATION_RETENTION", "PT5M"));
        assertThat(set.registrationRetention()).isEqualTo(java.time.Duration.ofHours(12));
        assertThat(set.maxDeliveries()).isEqualTo(3);
        assertThat(BrokerMain.Options.parse(new String[0], Map.of("HERALD_REGISTRATION_RETENTION", "PT5M")).registrationRetention())
                .isEqualTo(java.time.Duration.ofMinutes(5));
    }

    @Test
    void aclPrintsOneUserPerServiceFromTheCatalogAndABrokerUser() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        BrokerMain.printAcl(java.util.List.of("--namespace", "shop", "payment=order.created"), new java.io.PrintStream(bytes, true));
        java.util.List<String> lines = bytes.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("ACL SETUSER payment reset on \"><password of payment>\"")
                .contains("~shop:evt:{order.created}")                 // reads what it listens to
                .contains("\"(~shop:evt:{payment.completed} ~shop:evt:{payment.failed} +xadd)\"") // sends what it owns
                .contains("~shop:{registry}:svc:payment")
                .doesNotContain("~shop:evt:{order.created} +xadd");
        assertThat(lines.get(1)).startsWith("ACL SETUSER herald-broker").contains("~shop:*").contains("-@dangerous");
        assertThatThrownBy(() -> BrokerMain.printAcl(java.util.List.of("nobody=order.created"), new java.io.PrintStream(bytes)))
                .hasMessageContaining("'nobody' is not a service of the catalog");
    }
}
