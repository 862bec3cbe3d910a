package dev.herald.runtime.validation;

import java.util.Objects;

/**
 * One constraint violation of an event, located by its JSON path.
 *
 * @param path    where in the event's JSON the problem is, using the wire (JSON) property names:
 *                {@code items[2].quantity}, {@code shipping.postal-code}, {@code tags[0]};
 *                empty for a problem with the event as a whole
 * @param message what is wrong, e.g. {@code must be greater than or equal to 1}
 */
public record Violation(String path, String message) implements Comparable<Violation> {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int compareTo(Violation other) {
        int byPath = path.compareTo(other.path);
        return byPath != 0 ? byPath : message.compareTo(other.message);
    }

    /** {@code items[2].quantity: must be greater than or equal to 1}. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
