package dev.herald.broker;

import dev.herald.runtime.DeadLetter;
import dev.herald.runtime.EventContext;
import dev.herald.runtime.EventValidationException;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.sdk.EventType;
import dev.herald.sdk.Money;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The bus with this repository's generated shop SDK and its real catalog (schemas with $ref to types/money.json). */
class GeneratedSdkBusTest {

    static EmbeddedRedis redis;
    static RedissonClient client;
    static Broker broker;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
        client = dev.herald.runtime.stream.RedisClients.create(redis.url());
        broker = Broker.builder().redisson(client).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
        client.shutdown();
        redis.close();
    }

    static OrderCreated order(String currency) {
        return OrderCreated.builder().orderId(UUID.randomUUID()).accountId(UUID.randomUUID())
                .items(List.of(new OrderCreated.Item("SKU-1234", 2, new Money(new BigDecimal("9.95"), currency))))
                .total(new Money(new BigDecimal("19.90"), currency)).createdAt(Instant.parse("2026-11-22T10:00:00Z")).build();
    }

    @Test
    void generatedRecordsTravelTypedFromOrderToPayment() {
        try (Messenger payment = Messenger.builder().redisson(client).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED).build();
             Messenger order = Messenger.builder().redisson(client).service(ServiceName.ORDER).build()) {
            List<OrderCreated> got = new CopyOnWriteArrayList<>();
            List<EventContext> ctxs = new CopyOnWriteArrayList<>();
            payment.worker().on(OrderCreated.class, (e, ctx) -> {
                ctxs.add(ctx);
                return got.add(e);
            }).start();
            payment.register().join();
            OrderCreated sent = order("EUR");
            order.send(sent);
            await().untilAsserted(() -> assertThat(got).containsExactly(sent));
            assertThat(ctxs.get(0).version()).isEqualTo(2);

            // the record's constraints refuse an invalid event before anything is sent
            assertThatThrownBy(() -> order.send(order("euro"))).isInstanceOf(EventValidationException.class)
                    .hasMessageContaining("total.currency");
            // and a service may not send what it does not own
            assertThatThrownBy(() -> payment.send(order("EUR"))).hasMessageContaining("x-owner: order");
        }
    }

    @Test
    void theBrokerChecksRawJsonAgainstTheRealSchemaIncludingSharedTypes() throws Exception {
        String data = dev.herald.runtime.Json.mapper().writeValueAsString(order("EUR")).replace("\"EUR\"", "\"eu\"");
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"raw-1\",\"source\":\"herald:service/order\",\"type\":\"order.created\","
                + "\"dataschema\":\"herald:order.created/v2\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
        client.getStream(broker.keys().inbox(), StringCodec.INSTANCE).add(StreamAddArgs.entry(RedisKeys.FIELD_EVENT, envelope));
        await().untilAsserted(() -> assertThat(broker.deadLetters().list(10)).anySatisfy((DeadLetter d) -> {
            assertThat(d.eventId()).isEqualTo("raw-1");
            assertThat(d.reason()).isEqualTo("invalid-data");
            assertThat(d.error()).contains("total.currency").contains("items[0].unitPrice.currency");
        }));
    }

    @Test
    void theBrokerAssertsFormatsSoAConsumerNeverGetsWhatItCannotRead() throws Exception {
        String data = dev.herald.runtime.Json.mapper().writeValueAsString(order("EUR"))
                .replaceFirst("\"orderId\":\"[^\"]+\"", "\"orderId\":\"not-a-uuid\"");
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"raw-2\",\"source\":\"herald:service/order\",\"type\":\"order.created\","
                + "\"dataschema\":\"herald:order.created/v2\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
        client.getStream(broker.keys().inbox(), StringCodec.INSTANCE).add(StreamAddArgs.entry(RedisKeys.FIELD_EVENT, envelope));
        await().untilAsserted(() -> assertThat(broker.deadLetters().list(10)).anySatisfy((DeadLetter d) -> {
            assertThat(d.eventId()).isEqualTo("raw-2");
            assertThat(d.reason()).isEqualTo("invalid-data");
            assertThat(d.error()).contains("orderId").contains("uuid");
        }));
    }

    @Test
    void afterUnregisterNoNewEventReachesTheService() {
        try (Messenger payment = Messenger.builder().redisson(client).service(ServiceName.PAYMENT).listensTo(EventType.ORDER_CREATED).build();
             Messenger order = Messenger.builder().redisson(client).service(ServiceName.ORDER).build()) {
            // instances of payment from the other tests stay registered after close (a restarting
            // service keeps receiving): start from a registry without them
            client.getKeys().deleteByPattern(broker.keys().namespace() + ":{registry}:*");
            payment.register().join();
            String stream = new RedisKeys(broker.keys().namespace()).serviceStream("payment");
            dev.herald.runtime.stream.Topics topics = new dev.herald.runtime.stream.Topics(client, broker.keys());
            String type = EventType.ORDER_CREATED.wireName();
            String first = order.send(order("EUR"));
            assertThat(topics.waiting(type, "payment", 10)).contains(first);

            payment.unregister().join();
            assertThat(payment.registrations()).noneMatch(r -> r.service().equals("payment"));
            // no registration of payment wants order.created: the broker hands over what its group held and removes it
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(topics.groups(type)).doesNotContain("payment"));
            long handedOver = client.getStream(stream, StringCodec.INSTANCE).size();
            assertThat(handedOver).isGreaterThanOrEqualTo(1);
            order.send(order("EUR"));
            assertThat(topics.waiting(type, "payment", 10)).isEmpty();
            assertThat(client.getStream(stream, StringCodec.INSTANCE).size()).isEqualTo(handedOver);
        }
    }
}
