package dev.herald.broker;

import dev.herald.runtime.micrometer.BusGauges;
import dev.herald.runtime.stream.BusState;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;

/**
 * The latest reading of what every service has waiting ({@link BusState}), shared by the console,
 * the gauges and readiness: read again when older than a second, so that many viewers and a
 * scraper cost Redis one reading a second at most, and nothing while nobody looks.
 */
final class Monitor {

    static final long MAX_AGE_MS = 1_000;

    /** A reading, and each service's handled events per second since the one before. */
    record Reading(long at, Map<String, BusState.Service> services, Map<String, Double> handledPerSecond) {
    }

    private final BusState state;
    private final BusGauges gauges;
    private Reading latest;
    private final java.util.ArrayDeque<Reading> history = new java.util.ArrayDeque<>();
    static final long RATE_WINDOW_MS = 12_000;

    Monitor(BusState state, MeterRegistry registry) {
        this.state = state;
        this.gauges = registry == null ? null : new BusGauges(registry);
    }

    synchronized Reading latest() {
        long now = System.currentTimeMillis();
        if (latest != null && now - latest.at() < MAX_AGE_MS) {
            return latest;
        }
        Map<String, BusState.Service> services = state.read();
        // instances report their count with each heartbeat (every 5 s): rates over about 10 s of readings
        history.addLast(new Reading(now, services, Map.of()));
        while (history.size() > 1 && now - history.peekFirst().at() > RATE_WINDOW_MS) {
            history.removeFirst();
        }
        Reading then = history.peekFirst();
        double seconds = (now - then.at()) / 1000.0;
        Map<String, Double> rates = new java.util.TreeMap<>();
        services.forEach((name, s) -> {
            BusState.Service before = then.services().get(name);
            rates.put(name, before == null || seconds <= 0 || s.handled() < before.handled() ? 0.0 : (s.handled() - before.handled()) / seconds);
        });
        latest = new Reading(now, services, rates);
        if (gauges != null) {
            gauges.update(services);
        }
        return latest;
    }
}
