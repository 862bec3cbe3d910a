package dev.herald.runtime;

/**
 * Implemented by every enum the generator writes. Generated enums tolerate a value this SDK
 * version does not know yet (a newer producer may send it): it deserializes to the constant
 * {@code UNKNOWN} and keeps no other meaning, so readers stay up while senders are refused
 * (validation rejects {@code UNKNOWN}).
 */
public interface GeneratedEnum {

    /** The value on the wire; for {@code UNKNOWN}, the literal {@code "UNKNOWN"}. */
    String wireValue();

    /** False only for {@code UNKNOWN}, the stand-in for a value this SDK does not know. */
    boolean known();
}
