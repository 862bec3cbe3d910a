package dev.herald.runtime.micrometer;

import dev.herald.runtime.BusMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@link BusMetrics} in a Micrometer registry. Every meter's name is here, prefixed {@code herald.}
 * (Prometheus: {@code herald_…_total}, {@code herald_…_seconds}); tags {@code service}, {@code type}
 * and {@code reason} as the call gives them. Give it to {@code Messenger.builder().metrics(…)} (its
 * workers use it too) or {@code Broker.builder().metrics(…)}.
 */
public final class MicrometerMetrics implements BusMetrics {

    public static final String SENT = "herald.sent";
    public static final String SEND_REFUSED = "herald.send.refused";
    public static final String HANDLED = "herald.handled";
    public static final String LATENCY = "herald.latency";
    public static final String FAILED = "herald.failed";
    public static final String DEAD_LETTERED = "herald.dead.lettered";
    public static final String ROUTED = "herald.broker.routed";
    public static final String REFUSED = "herald.broker.refused";

    private final MeterRegistry registry;

    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void sent(String service, String type) {
        counter(SENT, "events sent", "service", service, "type", type).increment();
    }

    @Override
    public void sendRefused(String service, String type, String reason) {
        counter(SEND_REFUSED, "sends refused, by reason", "service", service, "type", type, "reason", reason).increment();
    }

    @Override
    public void handled(String service, String type, long handlerNanos, long sinceSentMillis) {
        Timer.builder(HANDLED).description("handler runs that returned, and how long they took")
                .tags("service", service, "type", type).register(registry).record(handlerNanos, TimeUnit.NANOSECONDS);
        if (sinceSentMillis >= 0) {
            Timer.builder(LATENCY).description("from send to the handler's return")
                    .tags("service", service, "type", type).register(registry).record(Duration.ofMillis(sinceSentMillis));
        }
    }

    @Override
    public void failed(String service, String type, boolean retried) {
        counter(FAILED, "handler runs that failed", "service", service, "type", type, "retried", String.valueOf(retried)).increment();
    }

    @Override
    public void deadLettered(String service, String type, String reason) {
        counter(DEAD_LETTERED, "events dead-lettered, by reason", "service", service, "type", type == null ? "unknown" : type,
                "reason", reason).increment();
    }

    @Override
    public void routed(String type) {
        counter(ROUTED, "inbox entries appended to their topic", "type", type).increment();
    }

    @Override
    public void refused(String reason) {
        counter(REFUSED, "inbox entries dead-lettered, by reason", "reason", reason).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
