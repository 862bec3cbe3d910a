package dev.herald.runtime;

/** A handler that returns nothing (no result is kept). */
@FunctionalInterface
public interface EventConsumer<T> {
    void accept(T event, EventContext ctx) throws Exception;
}
