package dev.herald.runtime.otel;

import dev.herald.runtime.BusTracing;
import dev.herald.runtime.EventContext;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.fixtures.GadgetShipped;
import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One request through two hops is one trace, with the OpenTelemetry SDK's in-memory exporter:
 * the caller's span, widgets' send of widget.created, gadgets' handler of it, the handler's send of
 * gadget.shipped, audit's handler of that; the caller's decision not to sample travels with the
 * events; and without a tracer Herald still continues the trace from handler to send.
 */
class TracingTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    InMemorySpanExporter exporter;
    OpenTelemetrySdk otel;
    final List<AutoCloseable> toClose = new ArrayList<>();
    final Map<String, EventContext> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        redis.client().getKeys().flushall();
        exporter = InMemorySpanExporter.create();
        otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(Sampler.alwaysOn())).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        otel.close();
    }

    /** widgets sends widget.created; gadgets handles it and sends gadget.shipped; audit handles that. */
    Messenger chain(BusTracing tracing) {
        Messenger widgets = messenger(TestServices.WIDGETS, tracing);
        Messenger gadgets = messenger(TestServices.GADGETS, tracing, TestEvents.WIDGET_CREATED);
        Messenger audit = messenger(TestServices.AUDIT, tracing, TestEvents.GADGET_SHIPPED);
        gadgets.worker().on(WidgetCreated.class, (e, ctx) -> {
            seen.put("gadgets", ctx);
            gadgets.send(new GadgetShipped("g-" + e.widgetId(), "dhl"));
            return null;
        }).start();
        audit.worker().on(GadgetShipped.class, (e, ctx) -> seen.put("audit", ctx)).start();
        gadgets.register().join();
        audit.register().join();
        return widgets;
    }

    Messenger messenger(TestServices service, BusTracing tracing, TestEvents... listensTo) {
        Messenger m = Messenger.builder().redisson(redis.client()).service(service).listensTo(listensTo).tracing(tracing).build();
        toClose.add(0, m);
        return m;
    }

    @Test
    void aSendItsHandlerAndTheHandlersOwnSendAreOneTrace() {
        Messenger widgets = chain(new OpenTelemetryTracing(otel));
        Span request = otel.getTracer("test").spanBuilder("POST /widgets").setSpanKind(SpanKind.SERVER).startSpan();
        String traceId = request.getSpanContext().getTraceId();
        try (Scope s = request.makeCurrent()) {
            widgets.send(WidgetCreated.sample(1));
        } finally {
            request.end();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.containsKey("audit")
                && exporter.getFinishedSpanItems().stream().filter(x -> x.getName().equals("process gadget.shipped")).count() == 1);

        Map<String, SpanData> spans = exporter.getFinishedSpanItems().stream().collect(Collectors.toMap(SpanData::getName, Function.identity()));
        assertThat(spans).containsOnlyKeys("POST /widgets", "send widget.created", "process widget.created", "send gadget.shipped",
                "process gadget.shipped");
        assertThat(spans.values()).allSatisfy(x -> assertThat(x.getTraceId()).isEqualTo(traceId));
        SpanData send1 = spans.get("send widget.created");
        SpanData process1 = spans.get("process widget.created");
        SpanData send2 = spans.get("send gadget.shipped");
        SpanData process2 = spans.get("process gadget.shipped");
        assertThat(send1.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(process1.getParentSpanId()).isEqualTo(send1.getSpanId());
        assertThat(send2.getParentSpanId()).as("sent from inside the handler").isEqualTo(process1.getSpanId());
        assertThat(process2.getParentSpanId()).isEqualTo(send2.getSpanId());
        assertThat(send1.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(process1.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(send1.getAttributes().get(OpenTelemetryTracing.DESTINATION)).isEqualTo("widget.created");
        assertThat(send1.getAttributes().get(OpenTelemetryTracing.MESSAGE_ID)).isEqualTo(seen.get("gadgets").id());
        assertThat(process1.getAttributes().get(OpenTelemetryTracing.CONSUMER_GROUP)).isEqualTo("gadgets");
        assertThat(process1.getAttributes().get(OpenTelemetryTracing.OPERATION_TYPE)).isEqualTo("process");
        String tp = seen.get("gadgets").traceparent();
        assertThat(tp).startsWith("00-" + traceId + "-" + send1.getSpanId() + "-");
        assertThat(Integer.parseInt(tp.substring(53), 16) & 1).as("the sampled flag, as the caller decided").isEqualTo(1);
    }

    @Test
    void theCallersDecisionNotToSampleTravelsWithTheEvents() {
        Messenger widgets = chain(new OpenTelemetryTracing(otel));
        SpanContext unsampled = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getDefault(), TraceState.builder().put("vendor", "x1").build());
        try (Scope s = Span.wrap(unsampled).makeCurrent()) {
            widgets.send(WidgetCreated.sample(2));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.containsKey("audit"));
        assertThat(seen.get("gadgets").traceparent()).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-00");
        assertThat(seen.get("gadgets").envelope().tracestate()).isEqualTo("vendor=x1");
        assertThat(seen.get("audit").traceparent()).as("still the same trace, still not sampled")
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-00");
        assertThat(exporter.getFinishedSpanItems()).as("nothing recorded").isEmpty();
    }

    @Test
    void withoutATracerAHandlersSendStillContinuesTheTrace() {
        Messenger widgets = chain(BusTracing.NONE);
        widgets.send(WidgetCreated.sample(3));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.containsKey("audit"));
        String first = seen.get("gadgets").traceparent();
        String second = seen.get("audit").traceparent();
        assertThat(second.substring(3, 35)).as("trace id").isEqualTo(first.substring(3, 35));
        assertThat(second.substring(36, 52)).as("a new parent id").isNotEqualTo(first.substring(36, 52));
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
}
