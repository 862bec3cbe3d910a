package dev.herald.runtime;

import java.time.Instant;

/**
 * What a handler knows about the event it handles.
 *
 * @param id            the event's unique id (use it to make handlers idempotent: delivery is at least once)
 * @param type          the event name, {@code order.created}
 * @param version       the schema version the sender wrote
 * @param originService the sending service
 * @param attempt       1 for the first delivery, 2 for the first retry, ...
 * @param time          when the event was sent (null if the sender did not say)
 * @param traceparent   W3C trace parent, or null
 * @param service       the receiving service
 * @param broadcast     true for a {@link Messenger#broadcast} delivery (no retry, no dead letter)
 * @param envelope      the whole envelope
 */
public record EventContext(String id, String type, int version, String originService, int attempt, Instant time,
                           String traceparent, String service, boolean broadcast, Envelope envelope) {
}
