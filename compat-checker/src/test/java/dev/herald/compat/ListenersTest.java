package dev.herald.compat;

import static dev.herald.compat.TestRegistry.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import dev.herald.runtime.stream.RedisClients;
import dev.herald.schema.RegistryException;
import dev.herald.schema.RegistryLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
import redis.embedded.RedisServer;

/** Findings name the services that listen to the event: declared in registry.json, or registered on a running bus. */
class ListenersTest {

    static final String REGISTRY = "{\n  \"namespace\": \"shop\",\n  \"javaPackage\": \"dev.herald.sdk\",\n  \"services\": {\n"
            + "    \"order\": {\"description\": \"Orders.\"},\n"
            + "    \"payment\": {\"description\": \"Payments.\", \"listens\": [\"order.*\"]},\n"
            + "    \"email\": {\"description\": \"Mail.\", \"listens\": [\"order.created\", \"account.**\"]},\n"
            + "    \"notification\": {\"description\": \"Push.\"}\n  }\n}\n";

    @TempDir
    Path tmp;

    private TestRegistry breakingOrderCreated() {
        return new TestRegistry(tmp.resolve("schemas")).write("registry.json", REGISTRY)
                .write("events/order.created/v1.json", event("order", "\"orderId\"", RegistryCheckTest.ID, RegistryCheckTest.NOTE))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", RegistryCheckTest.ID));
    }

    private static List<String> messages(Report r) {
        return r.findings().stream().map(Finding::message).toList();
    }

    @Test
    void aFindingNamesTheServicesRegistryJsonDeclaresAsListeners() {
        Report r = Gate.run(breakingOrderCreated().root(), null, null, null, note -> { });
        assertThat(messages(r)).singleElement().asString()
                .isEqualTo("property 'note' was removed (listened to by email, payment)");
    }

    @Test
    void aBadListenerPatternIsRefusedWhereItIsWritten() {
        TestRegistry reg = breakingOrderCreated().write("registry.json", REGISTRY.replace("\"order.*\"", "\"order.cre?ted\""));
        assertThatThrownBy(() -> RegistryLoader.load(reg.root())).isInstanceOf(RegistryException.class)
                .hasMessageContaining("registry.json:6:57")
                .hasMessageContaining("#/services/payment/listens/0")
                .hasMessageContaining("bad listener pattern 'order.cre?ted'");
    }

    @Test
    void theServicesRegisteredOnARunningBusAreNamedToo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
        server.start();
        try {
            String url = "redis://127.0.0.1:" + port;
            RedissonClient redis = RedisClients.create(url);
            try {
                // as the SDK registers an instance: notification listens to order.created on the live bus only
                new dev.herald.runtime.stream.Registry(redis, new RedisKeys("shop"))
                        .register(new Registration("notification", List.of("order.created"), "2026-12-02T08:00:00Z", "i-1")).join();
            } finally {
                redis.shutdown();
            }
            // and a registration nobody can read is said, not silently dropped
            RedissonClient raw = RedisClients.create(url);
            try {
                raw.<String, String>getMap(new RedisKeys("shop").registrations("audit"), org.redisson.client.codec.StringCodec.INSTANCE)
                        .put("i-9", "{not json");
                raw.<String>getSet(new RedisKeys("shop").registryIndex(), org.redisson.client.codec.StringCodec.INSTANCE).add("audit");
            } finally {
                raw.shutdown();
            }
            List<String> notices = new java.util.ArrayList<>();
            Report r = Gate.run(breakingOrderCreated().root(), null, null, null, url, notices::add);
            assertThat(messages(r)).singleElement().asString()
                    .isEqualTo("property 'note' was removed (listened to by email, notification, payment)");
            assertThat(notices).anySatisfy(n -> assertThat(n).contains("audit/i-9").contains("cannot be read"));
        } finally {
            server.stop();
        }
        assertThatThrownBy(() -> Gate.run(breakingOrderCreated().root(), null, null, null, "http://localhost:1", note -> { }))
                .isInstanceOf(CompatException.class).hasMessageContaining("takes a redis:// or rediss:// URL");
    }
}
