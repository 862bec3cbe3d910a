package dev.herald.spring;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.Registration;
import dev.herald.runtime.micrometer.MicrometerMetrics;
import dev.herald.spring.apps.BrokenApps;
import dev.herald.spring.apps.OrderApp;
import dev.herald.spring.apps.PaymentApp;
import dev.herald.testkit.HeraldExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real Spring Boot application contexts on an embedded Redis with an in-process broker (the test
 * kit): two Boot services exchange typed events, a canary with workers disabled receives nothing,
 * health goes down when Redis goes away, and each configuration mistake stops the context with a
 * message naming the property or the method.
 */
class HeraldStarterTest {

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.create();

    final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @AfterEach
    void close() {
        apps.forEach(ConfigurableApplicationContext::close);
    }

    ConfigurableApplicationContext start(Class<?> app, String redisUrl, String... properties) {
        List<String> props = new ArrayList<>(List.of("herald.redis.url=" + redisUrl, "herald.heartbeat=200ms",
                "herald.workers.backoff-initial=50ms", "spring.main.banner-mode=off"));
        props.addAll(List.of(properties));
        ConfigurableApplicationContext c = new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .properties(props.toArray(new String[0])).run();
        apps.add(c);
        return c;
    }

    @Test
    void twoBootServicesExchangeTypedEventsThroughABroker() {
        ConfigurableApplicationContext payment = start(PaymentApp.class, herald.redisUrl(), "herald.service=payment",
                "herald.workers.concurrency=4");
        ConfigurableApplicationContext order = start(OrderApp.class, herald.redisUrl(), "herald.service=order");

        Messenger paymentMessenger = payment.getBean(Messenger.class);
        assertThat(paymentMessenger.registrations()).filteredOn(r -> r.instance().equals(paymentMessenger.instanceId()))
                .singleElement().extracting(Registration::listensTo).as("listens-to from the @HeraldListener methods")
                .isEqualTo(List.of("order.created"));
        assertThat(payment.getBean(PaymentApp.Readiness.class).registeredWhenReady).as("registered before ready").isTrue();

        List<UUID> orders = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = UUID.randomUUID();
            orders.add(id);
            eventIds.add(order.getBean(OrderApp.Checkout.class).placeOrder(id));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(payment.getBean(PaymentApp.Charges.class).charged).containsExactlyInAnyOrderElementsOf(orders);
            assertThat(order.getBean(OrderApp.Confirmations.class).confirmed).containsExactlyInAnyOrderElementsOf(orders);
        });
        await().untilAsserted(() -> assertThat(paymentMessenger.result(eventIds.get(0))).get()
                .extracting(n -> n.asText()).isEqualTo("charged 9.95 (attempt 1)"));
        MeterRegistry meters = payment.getBean(MeterRegistry.class);
        assertThat(meters.get(MicrometerMetrics.HANDLED).tags("service", "payment", "type", "order.created").timer().count())
                .as("the meters in the application's registry").isEqualTo(5);
        assertThat(payment.getBean(HeraldHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aCanaryWithWorkersDisabledReceivesNothing() {
        ConfigurableApplicationContext payment = start(PaymentApp.class, herald.redisUrl(), "herald.service=payment");
        ConfigurableApplicationContext canary = start(PaymentApp.class, herald.redisUrl(), "herald.service=payment",
                "herald.workers.enabled=false");
        ConfigurableApplicationContext order = start(OrderApp.class, herald.redisUrl(), "herald.service=order");
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID id = UUID.randomUUID();
            orders.add(id);
            order.getBean(OrderApp.Checkout.class).placeOrder(id);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(order.getBean(OrderApp.Confirmations.class).confirmed).containsExactlyInAnyOrderElementsOf(orders));
        assertThat(payment.getBean(PaymentApp.Charges.class).charged).containsExactlyInAnyOrderElementsOf(orders);
        assertThat(canary.getBean(PaymentApp.Charges.class).charged).as("the canary").isEmpty();
        Health canaryHealth = canary.getBean(HeraldHealthIndicator.class).health();
        assertThat(canaryHealth.getStatus()).isEqualTo(Status.UP);
        assertThat(canaryHealth.getDetails().get("worker")).asString().contains("disabled");
    }

    @Test
    void healthGoesDownWhenRedisGoesAway() {
        HeraldExtension own = HeraldExtension.create();
        own.start();
        try {
            ConfigurableApplicationContext payment = start(PaymentApp.class, own.redisUrl(), "herald.service=payment");
            HeraldHealthIndicator health = payment.getBean(HeraldHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            own.stop();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.DOWN));
        } finally {
            own.stop();
        }
    }

    @Test
    void eachMistakeStopsTheContextNamingThePropertyOrTheMethod() {
        assertThatThrownBy(() -> start(PaymentApp.class, herald.redisUrl(), "herald.service=payment", "herald.listens-to=order.nope"))
                .rootCause().isInstanceOf(HeraldConfigurationException.class)
                .hasMessageContaining("herald.listens-to: 'order.nope' matches no event of the catalog");
        assertThatThrownBy(() -> start(PaymentApp.class, herald.redisUrl(), "herald.service=paymnet"))
                .rootCause().hasMessageContaining("herald.service: 'paymnet' is not a service of the catalog").hasMessageContaining("payment");
        assertThatThrownBy(() -> start(BrokenApps.ListenerTakesNoEvent.class, herald.redisUrl(), "herald.service=payment"))
                .rootCause().hasMessageContaining("@HeraldListener " + BrokenApps.NotAnEvent.class.getName() + ".on")
                .hasMessageContaining("java.lang.String is not a generated event");
        assertThatThrownBy(() -> start(BrokenApps.TwoListenersForOneEvent.class, herald.redisUrl(), "herald.service=payment"))
                .rootCause().hasMessageContaining("two @HeraldListener methods for order.created")
                .hasMessageContaining("FirstCharges.on(OrderCreated)").hasMessageContaining("SecondCharges.charge(OrderCreated)");
        assertThatThrownBy(() -> start(PaymentApp.class, herald.redisUrl(), "herald.service=payment", "herald.listens-to=payment.*"))
                .rootCause().hasMessageContaining("handles order.created, which herald.listens-to (payment.*) does not include");
    }

    @Test
    void withAnOpenTelemetryBeanTheHandlerAndItsSendAreSpansOfTheSendersTrace() {
        ConfigurableApplicationContext payment = start(dev.herald.spring.apps.TracedPaymentApp.class, herald.redisUrl(), "herald.service=payment");
        ConfigurableApplicationContext order = start(OrderApp.class, herald.redisUrl(), "herald.service=order");
        UUID id = UUID.randomUUID();
        String eventId = order.getBean(OrderApp.Checkout.class).placeOrder(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> order.getBean(OrderApp.Confirmations.class).confirmed.contains(id));
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans = payment.getBean(io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.class);
        await().untilAsserted(() -> assertThat(spans.getFinishedSpanItems()).extracting(io.opentelemetry.sdk.trace.data.SpanData::getName)
                .contains("process order.created", "send payment.completed"));
        io.opentelemetry.sdk.trace.data.SpanData process = spans.getFinishedSpanItems().stream()
                .filter(x -> x.getName().equals("process order.created")).findFirst().orElseThrow();
        io.opentelemetry.sdk.trace.data.SpanData send = spans.getFinishedSpanItems().stream()
                .filter(x -> x.getName().equals("send payment.completed")).findFirst().orElseThrow();
        assertThat(process.getAttributes().get(dev.herald.runtime.otel.OpenTelemetryTracing.MESSAGE_ID)).isEqualTo(eventId);
        assertThat(send.getParentSpanId()).as("the handler's send, inside its span").isEqualTo(process.getSpanId());
        assertThat(send.getTraceId()).isEqualTo(process.getTraceId());
        // order has no tracer: its event's traceparent (Herald's own) is the trace payment's spans join
        assertThat(process.getParentSpanContext().isRemote()).isTrue();
    }

    @Test
    void shutdownWaitsForARunningHandlerAndAcknowledgesItsEvent() throws Exception {
        ConfigurableApplicationContext stock = start(dev.herald.spring.apps.SlowApp.class, herald.redisUrl(), "herald.service=product");
        dev.herald.spring.apps.SlowApp.Stock handler = stock.getBean(dev.herald.spring.apps.SlowApp.Stock.class);
        UUID id = UUID.randomUUID();
        try (Messenger order = herald.messenger(dev.herald.sdk.ServiceName.ORDER)) {
            order.send(dev.herald.sdk.OrderCreated.builder().orderId(id).accountId(UUID.randomUUID())
                    .items(List.of(new dev.herald.sdk.OrderCreated.Item("SKU-1234", 1, new dev.herald.sdk.Money(new java.math.BigDecimal("1.00"), "EUR"))))
                    .total(new dev.herald.sdk.Money(new java.math.BigDecimal("1.00"), "EUR")).createdAt(java.time.Instant.now()).build());
        }
        assertThat(handler.started.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        stock.close(); // while the handler sleeps
        assertThat(handler.finished).as("drained before the context closed").contains(id);
        assertThat(herald.redisson().getStream(herald.broker().keys().topic("order.created"))
                .getPendingInfo("product").getTotal()).as("and acknowledged: no other instance gets it again").isZero();
    }
}
