package dev.herald.runtime.internal;

import dev.herald.runtime.Json;
import dev.herald.runtime.validation.EventValidator;
import dev.herald.runtime.validation.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * The seam through which the bus validates records: {@link EventValidator} (Hibernate Validator,
 * JSON-path violations such as {@code items[2].quantity: must be greater than or equal to 1},
 * refusing generated enums that hold {@code UNKNOWN}). Internal: not an API.
 */
public final class RecordValidation {

    private static final EventValidator VALIDATOR = EventValidator.create(Json.mapper());

    private RecordValidation() {
    }

    public static List<String> violations(Object record) {
        List<Violation> found = VALIDATOR.validate(record);
        if (found.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(found.size());
        for (Violation v : found) {
            out.add(v.toString());
        }
        return out;
    }
}
