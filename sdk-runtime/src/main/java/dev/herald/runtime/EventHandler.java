package dev.herald.runtime;

/**
 * Handles one event. The return value is kept as the event's result (see
 * {@link Messenger#result(String)}); {@code null} keeps nothing. A throw retries with backoff,
 * a {@link NonRetryableException} dead-letters at once.
 */
@FunctionalInterface
public interface EventHandler<T> {
    Object handle(T event, EventContext ctx) throws Exception;
}
