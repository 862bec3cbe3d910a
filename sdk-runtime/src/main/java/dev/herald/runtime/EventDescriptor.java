package dev.herald.runtime;

/**
 * What the runtime needs to know about one event type. The generated {@code EventType} enum
 * implements it, so application code passes {@code EventType.ORDER_CREATED} wherever an event
 * type is expected.
 */
public interface EventDescriptor {

    /** The wire name, as in the registry and the envelope's {@code type}: {@code order.created}. */
    String wireName();

    /** The newest published version, the one the generated record follows. */
    int version();

    /** The generated record for the newest version. */
    Class<? extends HeraldEvent> recordClass();

    /** The service allowed to send this event ({@code x-owner}), as a wire name. */
    String ownerService();

    /** Whether the registry marks the event {@code deprecated}. */
    boolean deprecated();
}
