package dev.herald.compat;

import java.util.Locale;

/**
 * How a reader treats object properties its schema does not declare.
 *
 * <ul>
 *   <li>{@link #ROBUST} (default): readers ignore unknown properties and writers send only the
 *   properties they declare, which is what Herald's generated records do. Adding an optional
 *   property is safe.</li>
 *   <li>{@link #STRICT}: the content-model rules of Confluent and Apicurio. An open object may
 *   already carry any property with any value, so adding a property to it narrows what it
 *   accepts.</li>
 * </ul>
 */
public enum Policy {
    ROBUST, STRICT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Policy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown policy '" + text + "' (robust, strict)");
        }
    }
}
