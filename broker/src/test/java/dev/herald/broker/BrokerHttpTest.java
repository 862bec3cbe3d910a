package dev.herald.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.Json;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.NonRetryableException;
import dev.herald.runtime.micrometer.MicrometerMetrics;
import dev.herald.runtime.fixtures.RedisProcess;
import dev.herald.runtime.stream.RedisClients;
import dev.herald.sdk.EventType;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker's HTTP side on a real Redis, read as Prometheus, an orchestrator and the console
 * read it: health that goes down when Redis goes away, meters of what happened, what services
 * have waiting, and the dead-letter actions with the console's header and token rules.
 */
class BrokerHttpTest {

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void healthMetricsServicesAndDeadLetterActions() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir)) {
            RedissonClient client = RedisClients.create(redis.url());
            PrometheusMeterRegistry registry = BrokerHttp.newRegistry();
            MicrometerMetrics metrics = new MicrometerMetrics(registry);
            Broker broker = Broker.builder().redisson(client).concurrency(1).metrics(metrics).start();
            BrokerHttp server = BrokerHttp.start(broker, "127.0.0.1", 0, null, registry);
            String base = server.url();
            Set<UUID> charged = ConcurrentHashMap.newKeySet();
            UUID refusedOnce = UUID.randomUUID();
            Set<UUID> failedBefore = ConcurrentHashMap.newKeySet();
            try (Messenger payment = Messenger.builder().redisson(client).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED)
                         .metrics(metrics).heartbeat(Duration.ofMillis(200)).build();
                 Messenger order = Messenger.builder().redisson(client).service(ServiceName.ORDER).metrics(metrics).build()) {
                payment.worker().on(OrderCreated.class, (e, ctx) -> {
                    if (e.orderId().equals(refusedOnce) && failedBefore.add(e.orderId())) {
                        throw new NonRetryableException("refused the first time");
                    }
                    charged.add(e.orderId());
                    return null;
                }).start();
                payment.register().join();

                assertThat(get(base + "health/live").statusCode()).isEqualTo(200);
                HttpResponse<String> ready = get(base + "health/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(json(ready).path("checks").path("redis").asText()).startsWith("UP");

                OrderCreated first = GeneratedSdkBusTest.order("EUR");
                order.send(first);
                order.send(GeneratedSdkBusTest.order("EUR").toBuilder().orderId(refusedOnce).build());
                new InboxProducer(client, broker.keys(), "order").send(GeneratedSdkBusTest.order("EUR"));
                client.getStream(broker.keys().inbox(), org.redisson.client.codec.StringCodec.INSTANCE)
                        .add(org.redisson.api.stream.StreamAddArgs.entry("event", "{not json"));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(charged).hasSize(2).contains(first.orderId());
                    assertThat(payment.deadLetters().size()).isEqualTo(1);
                });

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String m = get(base + "metrics").body();
                    assertThat(m).contains("herald_sent_total{service=\"order\",type=\"order.created\"} 2.0")
                            .contains("herald_broker_routed_total{type=\"order.created\"} 1.0")
                            .contains("herald_broker_refused_total{reason=\"malformed\"} 1.0")
                            .contains("herald_dead_lettered_total{reason=\"non-retryable\",service=\"payment\",type=\"order.created\"} 1.0")
                            .contains("herald_handled_seconds_count{service=\"payment\",type=\"order.created\"} 2")
                            .contains("herald_service_dead_letters{service=\"payment\"} 1.0")
                            .contains("herald_broker_ready{broker=\"" + broker.id() + "\"} 1.0");
                });
                JsonNode services = json(get(base + "api/services"));
                assertThat(services.path("services")).extracting(n -> n.path("service").asText()).contains("payment");
                assertThat(services.toString()).doesNotContain(redis.url()).doesNotContain(String.valueOf(redis.port()));

                JsonNode dead = json(get(base + "api/dead-letters?service=payment"));
                assertThat(dead.path("total").asInt()).isEqualTo(1);
                JsonNode letter = dead.path("deadLetters").get(0);
                assertThat(letter.path("reason").asText()).isEqualTo("non-retryable");
                assertThat(letter.path("event").path("data").path("orderId").asText()).isEqualTo(refusedOnce.toString());
                assertThat(json(get(base + "api/dead-letters?service=-broker")).path("deadLetters").get(0).path("reason").asText())
                        .isEqualTo("malformed");

                String body = "{\"service\":\"payment\",\"id\":\"" + letter.path("id").asText() + "\"}";
                assertThat(post(base + "api/dead-letters/replay", body).statusCode()).as("no console header: another web page").isEqualTo(403);
                HttpResponse<String> garbled = post(base + "api/dead-letters/replay", "{not json", BrokerHttp.ACTION_HEADER, "1");
                assertThat(garbled.statusCode()).isEqualTo(400);
                assertThat(json(garbled).path("error").asText()).contains("not JSON");
                HttpResponse<String> noSuch = post(base + "api/dead-letters/delete", "{\"service\":\"payment\",\"id\":\"yesterday\"}",
                        BrokerHttp.ACTION_HEADER, "1");
                assertThat(noSuch.statusCode()).isEqualTo(400);
                assertThat(json(noSuch).path("error").asText()).contains("not a dead-letter id");
                assertThat(payment.deadLetters().size()).isEqualTo(1);
                HttpResponse<String> replayed = post(base + "api/dead-letters/replay", body, BrokerHttp.ACTION_HEADER, "1");
                assertThat(replayed.statusCode()).isEqualTo(200);
                assertThat(json(replayed).path("replayed").asInt()).isEqualTo(1);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(charged).contains(refusedOnce));
                assertThat(payment.deadLetters().size()).isZero();

                JsonNode brokerLetter = json(get(base + "api/dead-letters?service=-broker")).path("deadLetters").get(0);
                assertThat(json(post(base + "api/dead-letters/delete", "{\"service\":\"-broker\",\"id\":\"" + brokerLetter.path("id").asText() + "\"}",
                        BrokerHttp.ACTION_HEADER, "1")).path("deleted").asBoolean()).isTrue();
                assertThat(broker.deadLetters().size()).isZero();

                JsonNode catalog = json(get(base + "api/catalog"));
                JsonNode created = null;
                for (JsonNode e : catalog.path("events")) {
                    if (e.path("name").asText().equals("order.created")) {
                        created = e;
                    }
                }
                assertThat(created).isNotNull();
                assertThat(created.path("owner").asText()).isEqualTo("order");
                assertThat(created.path("listeners").get(0).path("service").asText()).isEqualTo("payment");
                assertThat(created.path("schemas").path("2").path("properties").path("total").path("x-ref").asText())
                        .as("the money type inlined").isEqualTo("types/money.json");
                assertThat(created.path("schemas").path("2").path("properties").path("total").path("properties").has("currency")).isTrue();
                assertThat(get(base).body()).contains("<title>Herald console</title>");

                // Redis goes away: not ready, saying why
                redis.kill();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> r = get(base + "health/ready");
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(json(r).path("checks").path("redis").asText()).startsWith("DOWN");
                });
                HttpResponse<String> scrape = get(base + "metrics");
                assertThat(scrape.statusCode()).as("still scraped without Redis").isEqualTo(200);
                assertThat(scrape.body()).contains("herald_broker_ready{broker=\"" + broker.id() + "\"} 0.0");
            } finally {
                server.close();
                broker.close();
                client.shutdown();
            }
        }
    }

    @Test
    void beyondLoopbackTheActionsNeedTheTokenAndWithoutOneTheConsoleIsReadOnly() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir)) {
            RedissonClient client = RedisClients.create(redis.url());
            Broker broker = Broker.builder().redisson(client).concurrency(1).start();
            BrokerHttp open = BrokerHttp.start(broker, "0.0.0.0", 0, null, BrokerHttp.newRegistry());
            BrokerHttp guarded = BrokerHttp.start(broker, "0.0.0.0", 0, "s3cret-token", BrokerHttp.newRegistry());
            try {
                client.getStream(broker.keys().inbox(), org.redisson.client.codec.StringCodec.INSTANCE)
                        .add(org.redisson.api.stream.StreamAddArgs.entry("event", "{not json"));
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.deadLetters().size() == 1);
                String id = broker.deadLetters().list(1).get(0).id();
                String body = "{\"service\":\"-broker\",\"id\":\"" + id + "\"}";
                String openUrl = "http://127.0.0.1:" + open.port() + "/";
                String guardedUrl = "http://127.0.0.1:" + guarded.port() + "/";

                HttpResponse<String> readOnly = post(openUrl + "api/dead-letters/delete", body, BrokerHttp.ACTION_HEADER, "1");
                assertThat(readOnly.statusCode()).isEqualTo(403);
                assertThat(json(readOnly).path("error").asText()).contains("HERALD_CONSOLE_TOKEN");
                assertThat(json(get(openUrl + "api/config")).path("actionsAllowed").asBoolean()).isFalse();
                assertThat(post(guardedUrl + "api/dead-letters/delete", body, BrokerHttp.ACTION_HEADER, "1").statusCode()).isEqualTo(401);
                assertThat(post(guardedUrl + "api/dead-letters/delete", body, BrokerHttp.ACTION_HEADER, "1", BrokerHttp.TOKEN_HEADER, "wrong")
                        .statusCode()).isEqualTo(401);
                assertThat(broker.deadLetters().size()).isEqualTo(1);
                HttpResponse<String> ok = post(guardedUrl + "api/dead-letters/delete", body, BrokerHttp.ACTION_HEADER, "1",
                        BrokerHttp.TOKEN_HEADER, "s3cret-token");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(broker.deadLetters().size()).isZero();
                assertThat(get(guardedUrl + "api/dead-letters?service=-broker").statusCode()).as("reading needs no token").isEqualTo(200);
            } finally {
                open.close();
                guarded.close();
                broker.close();
                client.shutdown();
            }
        }
    }
}
