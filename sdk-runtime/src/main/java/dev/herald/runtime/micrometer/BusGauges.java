package dev.herald.runtime.micrometer;

import dev.herald.runtime.stream.BusState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Gauges of what every service has waiting ({@link BusState}), one row per service (and per
 * service and topic): set from each new reading by {@link #update}, so that the registry never
 * reads Redis itself. Rows of services gone are removed.
 */
public final class BusGauges {

    public static final String STREAM_LENGTH = "herald.service.stream.length";
    public static final String PENDING = "herald.service.pending";
    public static final String LAG = "herald.service.lag";
    public static final String RETRIES = "herald.service.retries";
    public static final String DEAD_LETTERS = "herald.service.dead.letters";
    public static final String INSTANCES = "herald.service.instances";
    public static final String TOPIC_PENDING = "herald.topic.pending";
    public static final String TOPIC_LAG = "herald.topic.lag";

    private final List<Row> rows = new ArrayList<>();
    private final MultiGauge topicPending;
    private final MultiGauge topicLag;

    private record Row(MultiGauge gauge, ToLongFunction<BusState.Service> value) {
    }

    public BusGauges(MeterRegistry registry) {
        row(registry, STREAM_LENGTH, "entries in the service's own stream (retries due, hand-backs, replays)", BusState.Service::streamLength);
        row(registry, PENDING, "events delivered to the service's workers and not yet acknowledged", BusState.Service::pending);
        row(registry, LAG, "events not yet delivered to any worker of the service", BusState.Service::lag);
        row(registry, RETRIES, "failed events waiting for their next attempt", BusState.Service::retries);
        row(registry, DEAD_LETTERS, "entries in the service's dead-letter stream", BusState.Service::deadLetters);
        row(registry, INSTANCES, "live instances of the service", s -> s.instances().size());
        topicPending = MultiGauge.builder(TOPIC_PENDING).description("delivered, not acknowledged, by service and event type").register(registry);
        topicLag = MultiGauge.builder(TOPIC_LAG).description("not yet delivered, by service and event type").register(registry);
    }

    private void row(MeterRegistry registry, String name, String description, ToLongFunction<BusState.Service> value) {
        rows.add(new Row(MultiGauge.builder(name).description(description).register(registry), value));
    }

    /** Sets every gauge from {@code services} (a {@link BusState#read} result). */
    public synchronized void update(Map<String, BusState.Service> services) {
        for (Row r : rows) {
            List<MultiGauge.Row<?>> values = new ArrayList<>();
            services.values().forEach(s -> values.add(MultiGauge.Row.of(Tags.of("service", s.service()), r.value().applyAsLong(s))));
            r.gauge().register(values, true);
        }
        List<MultiGauge.Row<?>> pending = new ArrayList<>();
        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        services.values().forEach(s -> s.topics().forEach(t -> {
            Tags tags = Tags.of("service", s.service(), "type", t.type());
            pending.add(MultiGauge.Row.of(tags, t.pending()));
            lag.add(MultiGauge.Row.of(tags, t.lag()));
        }));
        topicPending.register(pending, true);
        topicLag.register(lag, true);
    }
}
