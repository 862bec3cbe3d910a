package dev.herald.runtime;

/**
 * What the bus reports as it works: a {@link Messenger} its sends, a {@link Worker} what became of
 * each event, a broker what it routed and refused. The default does nothing; {@code
 * dev.herald.runtime.micrometer.MicrometerMetrics} records it in a Micrometer {@code MeterRegistry}
 * (Micrometer is an optional dependency: without it on the class path this interface is all there is).
 * Implementations are called on the bus's own threads and must return at once.
 */
public interface BusMetrics {

    /** Reports nothing. */
    BusMetrics NONE = new BusMetrics() {
    };

    /** {@code service} sent one event of {@code type} (Redis has it). */
    default void sent(String service, String type) {
    }

    /** A send refused before or while writing: {@code reason} is {@code invalid}, {@code wrong-owner}, {@code too-large} or {@code redis}. */
    default void sendRefused(String service, String type, String reason) {
    }

    /** A handler of {@code service} returned: how long it ran, and how long since the event was sent (ms). */
    default void handled(String service, String type, long handlerNanos, long sinceSentMillis) {
    }

    /** A handler of {@code service} failed; {@code retried}: it will be tried again. */
    default void failed(String service, String type, boolean retried) {
    }

    /** An event went to {@code service}'s dead letters ({@code type} may be null: unreadable). */
    default void deadLettered(String service, String type, String reason) {
    }

    /** A broker appended an inbox entry to its topic. */
    default void routed(String type) {
    }

    /** A broker dead-lettered an inbox entry. */
    default void refused(String reason) {
    }
}
