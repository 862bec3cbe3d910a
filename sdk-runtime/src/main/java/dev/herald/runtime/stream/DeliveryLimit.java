package dev.herald.runtime.stream;

import dev.herald.runtime.DeadLetter;

/**
 * How many times an entry may be delivered before it is dead-lettered with reason
 * {@link DeadLetter.Reason#DELIVERY_LIMIT} instead of being handled again. Counts every delivery
 * ({@code XPENDING}'s delivery count): an entry claimed back from a consumer that died or hung, or
 * read again after Redis refused one of its writes. A handler that crashes its process never gets
 * to count an attempt itself, so only this limit stops such an event.
 *
 * @param max deliveries allowed, at least 1
 */
public record DeliveryLimit(int max) {

    /** Brokers and workers: 10 deliveries. */
    public static final DeliveryLimit DEFAULT = new DeliveryLimit(10);

    public DeliveryLimit {
        if (max < 1) {
            throw new IllegalArgumentException("max deliveries must be >= 1, got " + max);
        }
    }

    /** Whether an entry delivered {@code deliveries} times (this delivery included) must not run again. */
    public boolean exceededBy(long deliveries) {
        return deliveries > max;
    }

    /** The dead letter's error: how often, and what was seen last. */
    public String describe(long deliveries, String what) {
        return "delivered " + deliveries + " times (max deliveries " + max + "): " + what;
    }
}
