package dev.herald.runtime.otel;

import dev.herald.runtime.BusTracing;
import dev.herald.runtime.Envelope;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.Map;

/**
 * Sends and handler runs as OpenTelemetry spans, after the messaging semantic conventions: a
 * {@code send <type>} producer span around each send, whose context goes into the envelope's
 * {@code traceparent} and {@code tracestate} (so the caller's trace and sampling decision travel
 * with the event); a {@code process <type>} consumer span around each handler run (and each broker
 * check of an inbox entry), child of the send, current while the handler runs, so that what the
 * handler sends continues the same trace. The envelope fields are W3C Trace Context by definition,
 * so they are written with the W3C propagator whatever the application's propagators are.
 */
public final class OpenTelemetryTracing implements BusTracing {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    public static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("herald.attempt");
    static final AttributeKey<String> SERVICE = AttributeKey.stringKey("herald.service");
    /** Not one of the conventions' registered systems: Herald names itself. */
    static final String SYSTEM_NAME = "herald";

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    public OpenTelemetryTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.herald");
    }

    /** On {@link GlobalOpenTelemetry} (a no-op until the application or its agent installs one). */
    public static OpenTelemetryTracing global() {
        return new OpenTelemetryTracing(GlobalOpenTelemetry.get());
    }

    @Override
    public Send startSend(String service, String type, String eventId) {
        Span span = tracer.spanBuilder("send " + type).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, SYSTEM_NAME).setAttribute(OPERATION_TYPE, "send").setAttribute(OPERATION_NAME, "send")
                .setAttribute(DESTINATION, type).setAttribute(MESSAGE_ID, eventId).setAttribute(SERVICE, service).startSpan();
        if (!span.getSpanContext().isValid()) {
            return Send.NONE; // no SDK installed: Herald carries the trace itself
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current().with(span), carrier, Map::put);
        return new Send() {
            @Override
            public String traceparent() {
                return carrier.get("traceparent");
            }

            @Override
            public String tracestate() {
                return carrier.get("tracestate");
            }

            @Override
            public void end(Throwable error) {
                if (error != null) {
                    span.recordException(error);
                    span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
                }
                span.end();
            }
        };
    }

    @Override
    public Process startProcess(String service, String group, Envelope envelope, int attempt) {
        Map<String, String> carrier = new HashMap<>(2);
        if (envelope.traceparent() != null) {
            carrier.put("traceparent", envelope.traceparent());
        }
        if (envelope.tracestate() != null) {
            carrier.put("tracestate", envelope.tracestate());
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
        Span span = tracer.spanBuilder("process " + envelope.type()).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute(SYSTEM, SYSTEM_NAME).setAttribute(OPERATION_TYPE, "process").setAttribute(OPERATION_NAME, "process")
                .setAttribute(DESTINATION, envelope.type()).setAttribute(MESSAGE_ID, envelope.id()).setAttribute(CONSUMER_GROUP, group)
                .setAttribute(ATTEMPT, (long) attempt).setAttribute(SERVICE, service == null ? "broker" : service).startSpan();
        Scope scope = span.makeCurrent();
        return new Process() {
            @Override
            public void failed(Throwable error) {
                span.recordException(error);
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            }

            @Override
            public void close() {
                scope.close();
                span.end();
            }
        };
    }
}
