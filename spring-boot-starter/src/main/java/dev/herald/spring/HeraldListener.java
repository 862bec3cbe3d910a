package dev.herald.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as the handler of one event type: its first parameter is a
 * generated event record ({@code OrderCreated}), or {@code Envelope} for a catch-all taking every
 * listened event without a typed method; an optional second parameter is the {@code EventContext}.
 * What it returns is kept as the event's result; what it throws is retried with backoff (a {@code
 * NonRetryableException} goes to the dead letters at once). Without {@code herald.listens-to}, the
 * service listens to the events these methods take.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HeraldListener {
}
