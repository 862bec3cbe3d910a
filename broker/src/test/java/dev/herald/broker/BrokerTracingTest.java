package dev.herald.broker;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.otel.OpenTelemetryTracing;
import dev.herald.sdk.EventType;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A producer without the SDK writes an inbox entry carrying its trace: the broker's check and the
 * handler are spans of that trace, children of the producer's span; an entry the broker refuses is
 * a span with an error status.
 */
class BrokerTracingTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    @Test
    void theBrokersCheckAndTheHandlerArePartOfTheProducersTrace() {
        redis.client().getKeys().flushall();
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
            OpenTelemetryTracing tracing = new OpenTelemetryTracing(otel);
            Broker broker = Broker.builder().redisson(redis.client()).concurrency(1).tracing(tracing).start();
            try (Messenger payment = Messenger.builder().redisson(redis.client()).service(ServiceName.PAYMENT)
                    .listensTo(EventType.ORDER_CREATED).tracing(tracing).build()) {
                payment.worker().on(OrderCreated.class, (e, ctx) -> null).start();
                payment.register().join();
                String trace = "0af7651916cd43dd8448eb211c80319c";
                String producerSpan = "b7ad6b7169203331";
                InboxProducer gateway = new InboxProducer(redis.client(), broker.keys(), "order");
                gateway.send(GeneratedSdkBusTest.order("EUR"), "00-" + trace + "-" + producerSpan + "-01");
                gateway.send(GeneratedSdkBusTest.order("EUR").toBuilder().total(null).build(), "00-" + trace + "-" + producerSpan + "-01");

                await().atMost(Duration.ofSeconds(20)).until(() -> exporter.getFinishedSpanItems().size() == 3);
                List<SpanData> spans = exporter.getFinishedSpanItems();
                assertThat(spans).allSatisfy(s -> {
                    assertThat(s.getTraceId()).isEqualTo(trace);
                    assertThat(s.getParentSpanId()).isEqualTo(producerSpan);
                    assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
                    assertThat(s.getName()).isEqualTo("process order.created");
                });
                assertThat(spans).filteredOn(s -> "brokers".equals(s.getAttributes().get(OpenTelemetryTracing.CONSUMER_GROUP))).hasSize(2)
                        .filteredOn(s -> s.getStatus().getStatusCode() == io.opentelemetry.api.trace.StatusCode.ERROR).hasSize(1);
                assertThat(spans).filteredOn(s -> "payment".equals(s.getAttributes().get(OpenTelemetryTracing.CONSUMER_GROUP))).hasSize(1);
            } finally {
                broker.close();
            }
        }
    }
}
