package dev.herald.schema;

import java.util.Objects;

/**
 * One thing wrong with the registry: where, what, and what to do about it.
 *
 * @param location the file, line, column and JSON pointer of the offending node
 * @param message  what is wrong, in one sentence
 * @param fix      what the reader should change, in one sentence
 */
public record Problem(SourceLocation location, String message, String fix) {

    public Problem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /**
     * {@code schemas/events/order.created/v3.json:12:5: error: $ref '../../types/mony.json' does not
     * resolve (#/properties/total). Fix: ...}
     */
    public String format() {
        return location.fileLineColumn() + ": error: " + message + " (" + location.fragment() + "). Fix: " + fix;
    }

    @Override
    public String toString() {
        return format();
    }
}
